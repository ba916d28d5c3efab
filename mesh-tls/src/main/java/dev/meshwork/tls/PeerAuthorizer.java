package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.PeerNotAuthorizedException.Reason;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides, on the server side, whether an authenticated caller may call: an allow-list of exact
 * SPIFFE IDs and of whole trust domains. Authentication (the chain, the SVID rules) is the job of
 * the server context's {@link SpiffeTrustManager}; this reads the caller's SPIFFE ID from the
 * verified session and applies the list, so it works with any server that exposes the {@link
 * SSLSession}: JDK {@code HttpsServer} ({@code exchange.getSSLSession()}), Jetty ({@code
 * request.getAttribute("org.eclipse.jetty.servlet.request.ssl_session")} or its {@code
 * SecureRequestCustomizer}), Netty ({@code sslHandler.engine().getSession()}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PeerAuthorizer authorizer = PeerAuthorizer.builder()
 *     .allow(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/restbase"))
 *     .allowTrustDomain(TrustDomain.of("partner.example"))
 *     .build();
 * SpiffeId caller = authorizer.authorize(exchange.getSSLSession()); // or throws
 * }</pre>
 */
public final class PeerAuthorizer {
  private final Set<SpiffeId> ids;
  private final Set<TrustDomain> trustDomains;

  private PeerAuthorizer(Set<SpiffeId> ids, Set<TrustDomain> trustDomains) {
    this.ids = ids;
    this.trustDomains = trustDomains;
  }

  /** A builder; at least one ID or trust domain must be allowed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The caller's SPIFFE ID, read from the leaf of {@code session}'s verified peer chain, if the
   * allow-list admits it.
   *
   * @throws PeerNotAuthorizedException when the session has no client certificate, the certificate
   *     is not an SVID, or the ID is not allowed; the message names the ID and why
   */
  public SpiffeId authorize(SSLSession session) throws PeerNotAuthorizedException {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new PeerNotAuthorizedException(
          Reason.NO_PEER_CERTIFICATE,
          null,
          "caller presented no client certificate; expected an X.509-SVID allowed by " + rules());
    }
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new PeerNotAuthorizedException(
          Reason.NO_PEER_CERTIFICATE,
          null,
          "caller presented no X.509 client certificate; expected an X.509-SVID allowed by "
              + rules());
    }
    SpiffeId id;
    try {
      id = SpiffeVerifier.identityOf(leaf);
    } catch (SvidRejectedException e) {
      PeerNotAuthorizedException denied =
          new PeerNotAuthorizedException(
              Reason.NOT_AN_SVID, null, "caller's certificate has no SPIFFE ID: " + e.getMessage());
      denied.initCause(e);
      throw denied;
    }
    return authorize(id);
  }

  /**
   * As {@link #authorize(SSLSession)}, after verifying {@code session}'s peer chain again, as a
   * client's, with {@code verifier}'s current verifier (the one the server context was built with,
   * such as a {@link LiveVerifier}). The handshake verified the chain only once, against the
   * anchors of that time; this re-check lets a server refuse, or close, a connection that stayed
   * open after its caller's anchor was removed or its certificate expired.
   *
   * @throws PeerNotAuthorizedException as {@link #authorize(SSLSession)}, or with {@link
   *     Reason#UNTRUSTED} naming the caller and the broken rule when the chain fails the verifier
   */
  public SpiffeId authorize(SSLSession session, Supplier<SpiffeVerifier> verifier)
      throws PeerNotAuthorizedException {
    Objects.requireNonNull(verifier, "verifier");
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return authorize(session); // throws, naming the missing certificate
    }
    try {
      verifier.get().verify(chain, PeerRole.CLIENT);
    } catch (SvidRejectedException e) {
      SpiffeId id = null;
      try {
        id = chain.isEmpty() ? null : SpiffeVerifier.identityOf(chain.get(0));
      } catch (SvidRejectedException notAnSvid) {
        // the message of e says why; there is no ID to name
      }
      PeerNotAuthorizedException untrusted =
          new PeerNotAuthorizedException(
              Reason.UNTRUSTED,
              id,
              "caller "
                  + (id == null ? "" : "'" + id + "' ")
                  + "is no longer trusted by the current"
                  + " verifier: "
                  + e.getMessage());
      untrusted.initCause(e);
      throw untrusted;
    }
    return authorize(session);
  }

  /**
   * {@code id} itself if the allow-list admits it.
   *
   * @throws PeerNotAuthorizedException naming {@code id} and the allow-list otherwise
   */
  public SpiffeId authorize(SpiffeId id) throws PeerNotAuthorizedException {
    if (!isAllowed(id)) {
      throw new PeerNotAuthorizedException(
          Reason.NOT_ALLOWED, id, "caller '" + id + "' is not authorized: it is not " + rules());
    }
    return id;
  }

  /** True when {@code id} is allowed by ID or by its trust domain. */
  public boolean isAllowed(SpiffeId id) {
    return id != null && (ids.contains(id) || trustDomains.contains(id.trustDomain()));
  }

  /** The SPIFFE IDs allowed exactly. */
  public Set<SpiffeId> allowedIds() {
    return ids;
  }

  /** The trust domains all of whose workloads are allowed. */
  public Set<TrustDomain> allowedTrustDomains() {
    return trustDomains;
  }

  @Override
  public String toString() {
    return "PeerAuthorizer{allowedIds="
        + new TreeSet<>(ids)
        + ", allowedTrustDomains="
        + new TreeSet<>(trustDomains)
        + "}";
  }

  private String rules() {
    String idRule = ids.isEmpty() ? null : "one of the allowed IDs " + new TreeSet<>(ids);
    String domainRule =
        trustDomains.isEmpty()
            ? null
            : "in one of the allowed trust domains " + new TreeSet<>(trustDomains);
    if (idRule == null) {
      return domainRule;
    }
    return domainRule == null ? idRule : idRule + " nor " + domainRule;
  }

  /** Collects the allow-list; {@link #build()} refuses an empty one. */
  public static final class Builder {
    private final Set<SpiffeId> ids = new LinkedHashSet<>();
    private final Set<TrustDomain> trustDomains = new LinkedHashSet<>();

    private Builder() {}

    /** Allows these exact workload IDs. */
    public Builder allow(SpiffeId... ids) {
      return allow(Arrays.asList(ids));
    }

    /** Allows these exact workload IDs. */
    public Builder allow(Collection<SpiffeId> ids) {
      for (SpiffeId id : ids) {
        if (id == null || id.isTrustDomainId()) {
          throw new MeshConfigException(
              "authorizer allowed SPIFFE ID",
              id,
              "a workload ID with a path (allow a whole trust domain with allowTrustDomain)");
        }
        this.ids.add(id);
      }
      return this;
    }

    /** Allows every workload of these trust domains. */
    public Builder allowTrustDomain(TrustDomain... trustDomains) {
      for (TrustDomain domain : trustDomains) {
        if (domain == null) {
          throw new MeshConfigException("authorizer allowed trust domain", null, "a trust domain");
        }
        this.trustDomains.add(domain);
      }
      return this;
    }

    /** The authorizer, or {@link MeshConfigException} when nothing is allowed. */
    public PeerAuthorizer build() {
      if (ids.isEmpty() && trustDomains.isEmpty()) {
        throw new MeshConfigException(
            "authorizer allow-list", "[]", "at least one allowed SPIFFE ID or trust domain");
      }
      return new PeerAuthorizer(Set.copyOf(ids), Set.copyOf(trustDomains));
    }
  }
}
