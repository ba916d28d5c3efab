package dev.meshwork.tls.internal;

import java.security.KeyManagementException;
import java.security.SecureRandom;
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
 * An {@link SSLContext} whose every engine, socket and server socket starts with the mesh's
 * {@link SSLParameters} (protocols, cipher suites, client authentication), and whose {@link
 * SSLContext#getDefaultSSLParameters()} returns them too. A library that takes an {@code
 * SSLContext} (JDK {@code HttpsServer} and {@code HttpClient}, OkHttp, Jetty, Netty) thus gets
 * TLS 1.3 and mandatory client certificates without being told.
 *
 * <p>Underneath it uses a JDK context built by a factory, and {@link #startNewSessions()}
 * replaces that with a fresh one: same key and trust managers, but empty session caches, so no
 * connection made afterwards resumes a session established under the previous certificate or
 * trust anchors (TLS 1.3 session tickets can arrive long after a handshake, so invalidating the
 * sessions cached at the time of a rotation is not enough). This object, which the application
 * holds, stays the same; connections already open are not affected.
 */
public final class ConfiguredSslContext extends SSLContext {
  private final Spi spi;

  private ConfiguredSslContext(Spi spi, SSLContext first) {
    super(spi, first.getProvider(), first.getProtocol());
    this.spi = spi;
  }

  /**
   * A context over {@code factory}'s contexts (each already initialized) that configures
   * everything it creates with a fresh copy of {@code parameters.get()}.
   */
  public static ConfiguredSslContext create(
      Supplier<SSLContext> factory, Supplier<SSLParameters> parameters) {
    SSLContext first = factory.get();
    return new ConfiguredSslContext(new Spi(factory, first, parameters), first);
  }

  /** Switches to a fresh underlying context, so new connections resume no earlier session. */
  public void startNewSessions() {
    spi.delegate.set(spi.factory.get());
  }

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> factory;
    private final AtomicReference<SSLContext> delegate;
    private final Supplier<SSLParameters> parameters;

    Spi(Supplier<SSLContext> factory, SSLContext first, Supplier<SSLParameters> parameters) {
      this.factory = factory;
      this.delegate = new AtomicReference<>(first);
      this.parameters = parameters;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException(
          "a mesh SSLContext is initialized by MeshSslContexts and cannot be re-initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new ConfiguringSocketFactory(() -> delegate.get().getSocketFactory(), parameters);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ConfiguringServerSocketFactory(
          () -> delegate.get().getServerSocketFactory(), parameters);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      SSLEngine engine = delegate.get().createSSLEngine();
      engine.setSSLParameters(parameters.get());
      return engine;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      SSLEngine engine = delegate.get().createSSLEngine(host, port);
      engine.setSSLParameters(parameters.get());
      return engine;
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.get().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.get().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return parameters.get();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.get().getSupportedSSLParameters();
    }
  }
}
