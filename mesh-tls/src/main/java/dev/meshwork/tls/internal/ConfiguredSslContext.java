package dev.meshwork.tls.internal;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose every engine, socket and server socket starts with the mesh's {@link
 * SSLParameters} (protocols, cipher suites, client authentication), and whose {@link
 * SSLContext#getDefaultSSLParameters()} returns them too. A library that takes an {@code
 * SSLContext} (JDK {@code HttpsServer} and {@code HttpClient}, OkHttp, Jetty, Netty) thus gets TLS
 * 1.3 and mandatory client certificates without being told.
 *
 * <p>Underneath it uses a JDK context built by a factory, and {@link #startNewSessions()} replaces
 * that with a fresh one: same key and trust managers, but empty session caches and new session
 * ticket keys, so no connection made afterwards resumes a session established under the previous
 * certificate or trust anchors (TLS 1.3 session tickets can arrive long after a handshake, so
 * invalidating the sessions cached at the time of a rotation is not enough). It does so by itself,
 * before the next engine or socket is made, whenever the trust state (the verifier's anchors and
 * accepted IDs) differs from the one the current JDK context started with. Its server sockets layer
 * each accepted connection on the context current then. This object, which the application holds,
 * stays the same; connections already open are not affected.
 */
public final class ConfiguredSslContext extends SSLContext {
  private final Spi spi;

  private ConfiguredSslContext(Spi spi, SSLContext first) {
    super(spi, first.getProvider(), first.getProtocol());
    this.spi = spi;
  }

  /**
   * A context over {@code factory}'s contexts (each already initialized) that configures everything
   * it creates with a fresh copy of {@code parameters.get()}, and starts new sessions whenever
   * {@code trustState.get()} stops being equal to what it was for the current sessions.
   */
  public static ConfiguredSslContext create(
      Supplier<SSLContext> factory, Supplier<SSLParameters> parameters, Supplier<?> trustState) {
    SSLContext first = factory.get();
    return new ConfiguredSslContext(new Spi(factory, first, parameters, trustState), first);
  }

  /** Switches to a fresh underlying context, so new connections resume no earlier session. */
  public void startNewSessions() {
    spi.delegate.set(new Sessions(spi.factory.get(), spi.trustState.get()));
  }

  /** A JDK context and the trust state its sessions were made under. */
  private record Sessions(SSLContext context, Object trust) {}

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> factory;
    private final AtomicReference<Sessions> delegate;
    private final Supplier<SSLParameters> parameters;
    private final Supplier<?> trustState;

    Spi(
        Supplier<SSLContext> factory,
        SSLContext first,
        Supplier<SSLParameters> parameters,
        Supplier<?> trustState) {
      this.factory = factory;
      this.trustState = trustState;
      this.delegate = new AtomicReference<>(new Sessions(first, trustState.get()));
      this.parameters = parameters;
    }

    /** The JDK context for the next connection; a fresh one when the trust state changed. */
    SSLContext current() {
      Sessions sessions = delegate.get();
      Object trust = trustState.get();
      if (Objects.equals(sessions.trust(), trust)) {
        return sessions.context();
      }
      Sessions fresh = new Sessions(factory.get(), trust);
      return delegate.compareAndSet(sessions, fresh) ? fresh.context() : delegate.get().context();
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException(
          "a mesh SSLContext is initialized by MeshSslContexts and cannot be re-initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new ConfiguringSocketFactory(() -> current().getSocketFactory(), parameters);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ConfiguringServerSocketFactory(this::current, parameters);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      SSLEngine engine = current().createSSLEngine();
      engine.setSSLParameters(parameters.get());
      return engine;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      SSLEngine engine = current().createSSLEngine(host, port);
      engine.setSSLParameters(parameters.get());
      return engine;
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return current().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return current().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return parameters.get();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return current().getSupportedSSLParameters();
    }
  }
}
