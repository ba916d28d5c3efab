package dev.meshwork.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import dev.meshwork.tls.internal.ConfiguredSslContext;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * Builds the {@link SSLContext}s of mutual TLS between mesh peers, for any JVM client or server
 * that takes an {@code SSLContext}: the key manager is a {@link LiveKeyManager} over a {@link
 * CertificateSource} and the trust manager a live {@link SpiffeTrustManager}, so rotated
 * certificates and new verifiers apply to the next handshake and no context is ever rebuilt.
 *
 * <p>Every engine, socket and server socket the returned context creates, and its {@link
 * SSLContext#getDefaultSSLParameters() default parameters}, allow TLS 1.3 only, with its three AEAD
 * cipher suites. TLS 1.2 is added only when {@code allowTls12} is passed, and then only with ECDHE
 * and AES-GCM or ChaCha20-Poly1305. A server context also requires a client certificate ({@code
 * needClientAuth}).
 *
 * <p>Trust changes: every connection made or accepted through the context after the verifier's
 * anchors or accepted IDs changed (seen when the next connection is made), or after the source's
 * identity changed, does a full handshake and is verified by the current verifier: the context then
 * starts over with empty session caches and new session ticket keys, so no session from before the
 * change is resumed. This covers its engines (so the JDK {@code HttpsServer} and any {@code
 * SSLEngine} server), its client sockets, and its server sockets, which hand out each accepted
 * connection from the context current at that moment, whenever they were created. Connections
 * already open are not verified again: a server that must drop callers of a removed anchor
 * re-checks them per request with {@link PeerAuthorizer#authorize(SSLSession, Supplier)}, or closes
 * them. Accepted sockets have TCP_NODELAY set.
 *
 * <p>Servers: a JDK {@code SSLServerSocket} or {@code SSLEngine} from the context needs no more
 * setup. A library that applies its own {@code SSLParameters} must keep client authentication: pass
 * it {@link #serverParameters(boolean)}, or {@code params.setNeedClientAuth(true)} on its own. For
 * the JDK {@code HttpsServer}: {@code
 * server.setHttpsConfigurator(MeshSslContexts.httpsConfigurator(context))}; for Netty, wrap the
 * context with {@code new JdkSslContext(context, false, ClientAuth.REQUIRE)}; for Jetty, {@code
 * factory.setSslContext(context); factory.setNeedClientAuth(true)}. Then, per request, {@link
 * PeerAuthorizer#authorize(javax.net.ssl.SSLSession)} says who called and whether it may.
 */
public final class MeshSslContexts {
  /** The JSSE name of TLS 1.3, the only version mesh peers use by default. */
  public static final String TLS_1_3 = "TLSv1.3";

  /** The JSSE name of TLS 1.2, used only when explicitly allowed. */
  public static final String TLS_1_2 = "TLSv1.2";

  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
  private static final List<String> TLS12_SUITES =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private MeshSslContexts() {}

  /** A TLS 1.3 client context presenting {@code source}'s identity, verifying servers. */
  public static SSLContext client(CertificateSource source, Supplier<SpiffeVerifier> verifier) {
    return client(source, verifier, false);
  }

  /**
   * A client context as {@link #client(CertificateSource, Supplier)} that also speaks TLS 1.2 when
   * {@code allowTls12}, for servers that cannot do TLS 1.3.
   */
  public static SSLContext client(
      CertificateSource source, Supplier<SpiffeVerifier> verifier, boolean allowTls12) {
    return create(source, verifier, allowTls12, false);
  }

  /** A TLS 1.3 server context requiring client certificates verified by {@code verifier}. */
  public static SSLContext server(CertificateSource source, Supplier<SpiffeVerifier> verifier) {
    return server(source, verifier, false);
  }

  /**
   * A server context as {@link #server(CertificateSource, Supplier)} that also accepts TLS 1.2
   * clients when {@code allowTls12}.
   */
  public static SSLContext server(
      CertificateSource source, Supplier<SpiffeVerifier> verifier, boolean allowTls12) {
    return create(source, verifier, allowTls12, true);
  }

  /** Fresh client parameters: TLS 1.3 (and 1.2 if {@code allowTls12}) and their suites. */
  public static SSLParameters clientParameters(boolean allowTls12) {
    return parameters(allowTls12, false, null);
  }

  /** Fresh server parameters: as {@link #clientParameters}, plus {@code needClientAuth=true}. */
  public static SSLParameters serverParameters(boolean allowTls12) {
    return parameters(allowTls12, true, null);
  }

  /**
   * An {@code HttpsServer} configurator that applies {@code serverContext}'s protocols and requires
   * a client certificate on every connection. The JDK server sets TCP_NODELAY only when the system
   * property {@code sun.net.httpserver.nodelay} is {@code true} when its first server is created
   * ({@code -Dsun.net.httpserver.nodelay=true}); without it each reply waits for the caller's
   * delayed ACK (some 40 ms), as the server writes headers and body separately.
   */
  public static HttpsConfigurator httpsConfigurator(SSLContext serverContext) {
    return new HttpsConfigurator(serverContext) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setNeedClientAuth(true);
        params.setSSLParameters(parameters);
      }
    };
  }

  /**
   * Makes every later connection of {@code context} do a full handshake instead of resuming a
   * session established before. A context from this class does this by itself when its source or
   * its verifier's anchors change; call this after changing anything else its verifier depends on.
   * For such a context it holds for every engine, client socket and server socket it makes,
   * including server sockets created before this call. For any other context, only the sessions in
   * its caches are invalidated: the JDK may still resume a TLS 1.3 session from a stateless ticket
   * a client already holds, and its server sockets keep their own context, so a trust change is not
   * guaranteed to reach them. Open connections are unaffected (see {@link
   * PeerAuthorizer#authorize(SSLSession, Supplier)}).
   */
  public static void invalidateSessions(SSLContext context) {
    if (context instanceof ConfiguredSslContext configured) {
      configured.startNewSessions();
      return;
    }
    invalidate(context.getClientSessionContext());
    invalidate(context.getServerSessionContext());
  }

  private static void invalidate(SSLSessionContext sessions) {
    if (sessions == null) {
      return;
    }
    for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
      SSLSession session = sessions.getSession(ids.nextElement());
      if (session != null) {
        session.invalidate();
      }
    }
  }

  private static SSLContext create(
      CertificateSource source,
      Supplier<SpiffeVerifier> verifier,
      boolean allowTls12,
      boolean server) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(verifier, "verifier");
    KeyManager[] keyManagers = {new LiveKeyManager(source)};
    TrustManager[] trustManagers = {SpiffeTrustManager.live(verifier)};
    Supplier<SSLContext> jdkContexts =
        () -> {
          try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot create a TLS SSLContext", e);
          }
        };
    Set<String> supported = Set.of(jdkContexts.get().getSupportedSSLParameters().getCipherSuites());
    ConfiguredSslContext context =
        ConfiguredSslContext.create(
            jdkContexts,
            () -> parameters(allowTls12, server, supported),
            () -> trustOf(verifier.get()));
    source.addListener(identity -> context.startNewSessions());
    return context;
  }

  /** What a verifier's decisions depend on, compared by value; null for no verifier yet. */
  private static Object trustOf(SpiffeVerifier verifier) {
    return verifier == null
        ? null
        : List.of(verifier.trustBundle(), verifier.acceptedIds(), verifier.acceptsAnyMember());
  }

  private static SSLParameters parameters(
      boolean allowTls12, boolean server, Set<String> supported) {
    List<String> suites = new ArrayList<>(TLS13_SUITES);
    if (allowTls12) {
      suites.addAll(TLS12_SUITES);
    }
    if (supported != null) {
      suites.removeIf(suite -> !supported.contains(suite));
    }
    String[] protocols = allowTls12 ? new String[] {TLS_1_3, TLS_1_2} : new String[] {TLS_1_3};
    SSLParameters parameters = new SSLParameters(suites.toArray(new String[0]), protocols);
    if (server) {
      parameters.setNeedClientAuth(true);
    }
    return parameters;
  }
}
