package dev.meshwork.okhttp.internal;

import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.CertificatePinner;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.internal.connection.RealConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OkHttp's view of one service's mutual TLS: socket factory, trust manager and a verifier that
 * checks the peer's SPIFFE identity instead of the host name (the mesh dials addresses). Built once
 * per service and reused, because OkHttp pools a connection only for calls whose socket factory and
 * verifier are the same instances.
 *
 * <p>It also keeps pooled connections honest when the trust anchors change. A connection's peer was
 * verified once, at its handshake; after an anchor is removed, the pool would happily hand out a
 * connection to a peer issued by that anchor. So every connection the service's calls use is
 * remembered with the trust epoch it was last checked in. When the anchors change, the epoch moves
 * on and each remembered connection's peer chain is verified again against the new anchors; one
 * that fails takes no new exchanges (OkHttp closes it once its calls finish), and the pool's idle
 * connections are evicted. The same happens when this workload's own certificate comes to be issued
 * by another CA (the middle step of an anchor rotation): a connection on which it presented the
 * previous CA's certificate is retired then, while both anchors are still trusted, because peers
 * refuse it once they drop the old one, and a busy connection never idles out. {@link #admit}
 * checks the connection of every exchange the same way, which closes the race with a handshake that
 * straddled the change: no request is ever written to a peer that no longer verifies.
 *
 * <p>OkHttp adds to this on its own: it keys pooled connections partly by the trust manager's
 * accepted issuers (the current anchors) at the time of each call, so after any change of the
 * bundle, even an added anchor, it opens new connections rather than reuse old ones. Those would
 * sit idle in the pool until their keep-alive ran out; so on every change the pool's idle
 * connections are evicted at once. The check here does not rely on that OkHttp detail.
 */
final class TlsDial {
  private static final Logger log = LoggerFactory.getLogger(TlsDial.class);

  /** How many peer-chain verdicts are kept at most (see {@link #reverify}). */
  private static final int MAX_VERDICTS = 256;

  private final String service;
  private final ClientTls tls;
  private final SSLSocketFactory socketFactory;
  private final HostnameVerifier verifier;
  private final Runnable evictIdle;
  private final AtomicInteger epoch = new AtomicInteger();

  /** Connections seen, with the epoch their peer last verified in; closed ones are pruned. */
  private final Map<Connection, Integer> checked = new ConcurrentHashMap<>();

  private volatile int pruneAt = 64;

  /** A peer chain checked in a trust epoch. */
  private record Verdict(int epoch, List<X509Certificate> chain) {}

  /** Verdicts on peer chains ("" for one that verifies), of the current epoch only. */
  private final Map<Verdict, String> verdicts = new ConcurrentHashMap<>();

  /** The pinner the latest call was sent with; see {@link #apply}. */
  private volatile CertificatePinner lastPinner;

  /**
   * @param evictIdle closes the pool's idle connections; run after every change of anchors
   */
  TlsDial(String service, ClientTls tls, Runnable evictIdle) {
    this.service = service;
    this.tls = tls;
    this.evictIdle = evictIdle;
    this.socketFactory = tls.sslContext().getSocketFactory();
    this.verifier =
        (host, session) -> {
          try {
            tls.verifyPeer(session);
            return true;
          } catch (SSLPeerUnverifiedException e) {
            return false;
          }
        };
    tls.onTrustChange(this::trustChanged);
  }

  /** Whether this dials with {@code tls}. */
  boolean dials(ClientTls tls) {
    return this.tls == tls;
  }

  /** Configures a client that dials endpoints directly (health probes) the way calls do. */
  OkHttpClient.Builder applyTo(OkHttpClient.Builder client) {
    return client.sslSocketFactory(socketFactory, tls.trustManager()).hostnameVerifier(verifier);
  }

  /**
   * The chain with the service's TLS. OkHttp builds a new certificate pinner for every chain given
   * a socket factory, and the pool compares pinners, deeply, with every idle connection it looks
   * at. Handing OkHttp the pinner of the previous call instead (it keeps it only if its chain
   * cleaner equals this call's, that is while the anchors are unchanged) makes that comparison an
   * identity check; over eight endpoints it was 2% of the caller's time.
   */
  Interceptor.Chain apply(Interceptor.Chain chain) {
    Interceptor.Chain secured =
        chain
            .withSslSocketFactory(socketFactory, tls.trustManager())
            .withHostnameVerifier(verifier);
    CertificatePinner fresh = secured.getCertificatePinner();
    CertificatePinner previous = lastPinner;
    if (previous != null && previous.getPins().equals(fresh.getPins())) {
      secured = secured.withCertificatePinner(previous);
    }
    CertificatePinner used = secured.getCertificatePinner();
    if (used != previous) {
      lastPinner = used;
    }
    return secured;
  }

  /**
   * Lets an exchange use {@code connection} if its peer verifies under the current anchors;
   * otherwise retires the connection and throws before anything is written to it. Checks a
   * connection once per trust epoch: after the first exchange it costs one map lookup. A refusal
   * first retires every other remembered connection that no longer verifies, so the call's retry
   * meets a good connection or makes one, rather than the next stale one.
   */
  void admit(Connection connection) throws SSLPeerUnverifiedException {
    int current = epoch.get();
    Integer seen = checked.get(connection);
    if (seen != null && seen == current) {
      return;
    }
    String failure = reverify(connection, current);
    if (failure != null) {
      retire(connection);
      sweep(current);
      throw new SSLPeerUnverifiedException(
          "the pooled connection to "
              + connection.route().socketAddress()
              + " was not used: it no longer verifies"
              + " against the current trust anchors and certificate: "
              + failure);
    }
    checked.put(connection, current);
    if (checked.size() >= pruneAt) {
      prune();
    }
  }

  /**
   * {@code failure}, or, when it shows that the endpoint answered the ClientHello without TLS (the
   * JDK's "Unsupported or unrecognized SSL message"), an {@link SSLHandshakeException} saying so,
   * with the original as its cause. A handshake failure is what it is: no request was sent, so it
   * is classified as a connect failure.
   */
  static IOException explain(IOException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof SSLException
          && message != null
          && (message.contains("unrecognized SSL message")
              || message.contains("plaintext connection"))) {
        SSLHandshakeException plaintext =
            new SSLHandshakeException(
                "the endpoint answered without TLS"
                    + " (plaintext), so no mutual TLS connection was made and no request was sent: it serves"
                    + " plain HTTP on this port (for a service called without TLS, set tls(TlsMode.DISABLED))");
        plaintext.initCause(failure);
        return plaintext;
      }
    }
    return failure;
  }

  private void trustChanged() {
    int retired = sweep(epoch.incrementAndGet());
    evictIdle.run();
    log.info(
        "Trust anchors or the CA of this workload's certificate changed for service '{}': idle"
            + " connections evicted; {} connection(s) that no longer verify take no new requests",
        service,
        retired);
  }

  /**
   * Checks every remembered connection not yet admitted in epoch {@code current}: retires those
   * that no longer verify and marks the others checked. Returns how many it retired.
   */
  private int sweep(int current) {
    int retired = 0;
    for (Connection connection : List.copyOf(checked.keySet())) {
      Integer seen = checked.get(connection);
      if (seen == null || seen == current) {
        continue;
      }
      if (connection.socket().isClosed()) {
        checked.remove(connection);
      } else if (reverify(connection, current) != null) {
        retire(connection);
        retired++;
      } else {
        checked.replace(connection, seen, current);
      }
    }
    verdicts.keySet().removeIf(key -> key.epoch() != current);
    return retired;
  }

  /**
   * Null when this workload presented a certificate of its current CA on the connection and the
   * peer's chain verifies against the current anchors, else why not. The cheap check comes first; a
   * peer chain's verdict is kept for the epoch, since many connections share a peer's chain.
   */
  private String reverify(Connection connection, int current) {
    String local = presentedByPreviousCa(connection);
    if (local != null) {
      return local;
    }
    X509Certificate[] chain;
    try {
      chain = presentedChain(connection);
    } catch (SSLPeerUnverifiedException | ClassCastException e) {
      return "no usable peer certificate chain: " + e.getMessage();
    }
    Verdict key = new Verdict(current, List.of(chain));
    String verdict = verdicts.get(key);
    if (verdict == null) {
      verdict = verify(chain);
      if (verdicts.size() >= MAX_VERDICTS) {
        verdicts.clear(); // peers rotate leaves without any change of trust: stay bounded
      }
      verdicts.put(key, verdict);
    }
    return verdict.isEmpty() ? null : verdict;
  }

  /** "" when {@code chain} verifies against the current anchors, else why not. */
  private String verify(X509Certificate[] chain) {
    try {
      tls.trustManager().checkServerTrusted(chain, "UNKNOWN");
      return "";
    } catch (CertificateException | RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /**
   * Null unless this workload presented, on {@code connection}, a certificate of another CA than
   * the one whose certificate it presents now; then why the connection must go.
   */
  private String presentedByPreviousCa(Connection connection) {
    String now =
        tls.certificate()
            .map(info -> info.chain().get(info.chain().size() - 1).issuer())
            .orElse(null);
    Certificate[] local = null;
    if (connection.socket() instanceof SSLSocket socket) {
      local = socket.getSession().getLocalCertificates();
    } else if (connection.handshake() != null) {
      local = connection.handshake().localCertificates().toArray(new Certificate[0]);
    }
    if (now == null
        || local == null
        || local.length == 0
        || !(local[local.length - 1] instanceof X509Certificate top)) {
      return null;
    }
    String then = top.getIssuerX500Principal().getName();
    return then.equals(now)
        ? null
        : "this workload presented a certificate issued by '"
            + then
            + "' on it and now presents one issued by '"
            + now
            + "': peers refuse the old one once they drop that CA";
  }

  /**
   * The chain exactly as the peer sent it. Not {@code Handshake.peerCertificates()}: OkHttp
   * rebuilds that chain up to an anchor of the bundle in force at the handshake.
   */
  private static X509Certificate[] presentedChain(Connection connection)
      throws SSLPeerUnverifiedException {
    Certificate[] peer;
    if (connection.socket() instanceof SSLSocket socket) {
      peer = socket.getSession().getPeerCertificates();
    } else if (connection.handshake() != null) {
      peer = connection.handshake().peerCertificates().toArray(new Certificate[0]);
    } else {
      throw new SSLPeerUnverifiedException("the connection has no TLS handshake");
    }
    X509Certificate[] chain = new X509Certificate[peer.length];
    for (int i = 0; i < chain.length; i++) {
      chain[i] = (X509Certificate) peer[i];
    }
    return chain;
  }

  private void retire(Connection connection) {
    checked.remove(connection);
    if (connection instanceof RealConnection real) {
      real.noNewExchanges(); // OkHttp's own flag: the pool hands it out no more, closes it when
      // idle
    } else {
      closeQuietly(connection);
    }
  }

  private void prune() {
    checked.keySet().removeIf(connection -> connection.socket().isClosed());
    pruneAt = Math.max(64, checked.size() * 2);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.socket().close();
    } catch (IOException e) {
      log.debug("Closing a retired connection failed", e);
    }
  }
}
