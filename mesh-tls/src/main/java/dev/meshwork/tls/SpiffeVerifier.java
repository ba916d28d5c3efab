package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.SvidRejectedException.Reason;
import dev.meshwork.tls.internal.Certificates;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a presented certificate chain is an X.509-SVID of an expected peer. The mesh
 * connects to endpoint addresses, so peers are authenticated by exact SPIFFE ID, never by host name
 * and never by subject CN.
 *
 * <p>A chain is accepted only when all of these hold, checked in this order (the first broken rule
 * is reported as {@link SvidRejectedException#reason()}):
 *
 * <ol>
 *   <li>the leaf carries exactly one URI SAN, a valid SPIFFE ID with a path;
 *   <li>the leaf is not a CA, has key usage digitalSignature, has neither keyCertSign nor cRLSign,
 *       and, when it has an extended key usage, allows serverAuth (peer is a {@link PeerRole#SERVER
 *       server}) or clientAuth (peer is a {@link PeerRole#CLIENT client});
 *   <li>every certificate between the leaf and the anchor is a CA allowed to sign certificates;
 *   <li>every certificate, and the anchor reached, is valid at the injected clock's time;
 *   <li>the JDK's PKIX validator (revocation off) chains it to an anchor of the trust bundle, and
 *       the anchor's own path length constraint, which PKIX ignores, allows the chain;
 *   <li>the SPIFFE ID is in the bundle's trust domain and is one of the accepted IDs (or, for a
 *       verifier built with {@link Builder#acceptAnyMember()}, any workload ID there).
 * </ol>
 *
 * <p>Immutable and thread-safe. To rotate anchors, build a new verifier with the new bundle.
 *
 * <pre>{@code
 * SpiffeVerifier verifier = SpiffeVerifier.builder()
 *     .trustBundle(ca.trustBundle())
 *     .accept(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/mathoid"))
 *     .build();
 * SpiffeId peer = verifier.verify(chain, PeerRole.SERVER);
 * }</pre>
 */
public final class SpiffeVerifier {
  private final TrustBundle trustBundle;
  private final Set<SpiffeId> accepted;
  private final boolean anyMember;
  private final MeshClock clock;

  private SpiffeVerifier(Builder builder, Set<SpiffeId> accepted) {
    this.trustBundle = builder.trustBundle;
    this.accepted = accepted;
    this.anyMember = builder.anyMember;
    this.clock = builder.clock;
  }

  /**
   * A builder; a trust bundle and at least one accepted ID (or {@link Builder#acceptAnyMember()})
   * are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The peer's SPIFFE ID if {@code chain} (leaf first, as presented in a TLS handshake) is an
   * acceptable SVID for a peer in {@code role}.
   *
   * @throws SvidRejectedException naming the first rule the chain breaks
   */
  public SpiffeId verify(List<X509Certificate> chain, PeerRole role) throws SvidRejectedException {
    if (chain == null || chain.isEmpty() || chain.stream().anyMatch(c -> c == null)) {
      throw new SvidRejectedException(
          Reason.EMPTY_CHAIN, "no peer certificate was presented; expected an X.509-SVID chain");
    }
    if (role == null) {
      throw new NullPointerException("role");
    }
    X509Certificate leaf = chain.get(0);
    SpiffeId id = SvidChecks.identityOf(leaf);
    SvidChecks.checkLeaf(leaf, role);

    List<X509Certificate> path = withoutTrailingAnchors(chain);
    for (int i = 1; i < path.size(); i++) {
      SvidChecks.checkIntermediate(path.get(i), i);
    }
    Instant now = clock.now();
    SvidChecks.checkValidity(leaf, "leaf", now);
    for (int i = 1; i < path.size(); i++) {
      SvidChecks.checkValidity(path.get(i), "intermediate #" + i, now);
    }
    X509Certificate anchor = PkixChain.validate(path, trustBundle, now);
    SvidChecks.checkValidity(anchor, "trust anchor", now);
    SvidChecks.checkAnchorPathLength(anchor, path.size() - 1);

    if (!id.isMemberOf(trustBundle.trustDomain())) {
      throw new SvidRejectedException(
          Reason.OTHER_TRUST_DOMAIN,
          "leaf "
              + Certificates.describe(leaf)
              + " has SPIFFE ID '"
              + id
              + "' in trust domain '"
              + id.trustDomain()
              + "'; expected trust domain '"
              + trustBundle.trustDomain()
              + "'");
    }
    if (!anyMember && !accepted.contains(id)) {
      throw new SvidRejectedException(
          Reason.ID_NOT_ACCEPTED,
          "leaf "
              + Certificates.describe(leaf)
              + " has SPIFFE ID '"
              + id
              + "'; expected one of "
              + new TreeSet<>(accepted));
    }
    return id;
  }

  /**
   * The SPIFFE ID in {@code leaf}'s single URI SAN, without checking anything else. For reading the
   * identity of a peer that a trust manager already verified.
   */
  public static SpiffeId identityOf(X509Certificate leaf) throws SvidRejectedException {
    return SvidChecks.identityOf(leaf);
  }

  /** The anchors this verifier trusts. */
  public TrustBundle trustBundle() {
    return trustBundle;
  }

  /** The SPIFFE IDs accepted, exactly (empty when {@link #acceptsAnyMember()} alone decides). */
  public Set<SpiffeId> acceptedIds() {
    return accepted;
  }

  /** True when any workload ID of the bundle's trust domain is accepted. */
  public boolean acceptsAnyMember() {
    return anyMember;
  }

  /** A builder holding this verifier's settings, for deriving one with another bundle. */
  public Builder newBuilder() {
    Builder builder = new Builder().trustBundle(trustBundle).accept(accepted).clock(clock);
    builder.anyMember = anyMember;
    return builder;
  }

  @Override
  public String toString() {
    return "SpiffeVerifier{trustBundle="
        + trustBundle
        + ", accepted="
        + (anyMember ? "any ID in '" + trustBundle.trustDomain() + "'" : new TreeSet<>(accepted))
        + ", clock="
        + clock
        + "}";
  }

  private List<X509Certificate> withoutTrailingAnchors(List<X509Certificate> chain) {
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && trustBundle.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    return path;
  }

  /** Collects a verifier's settings; {@link #build()} validates them. */
  public static final class Builder {
    private TrustBundle trustBundle;
    private final Set<SpiffeId> accepted = new LinkedHashSet<>();
    private MeshClock clock = MeshClock.system();
    private boolean anyMember;

    private Builder() {}

    /** The anchors chains must lead to, and the trust domain peers must belong to. Required. */
    public Builder trustBundle(TrustBundle trustBundle) {
      this.trustBundle = trustBundle;
      return this;
    }

    /** Adds SPIFFE IDs to accept (exact match). At least one is required. */
    public Builder accept(SpiffeId... ids) {
      return accept(Arrays.asList(ids));
    }

    /** Adds SPIFFE IDs to accept (exact match). At least one is required. */
    public Builder accept(Collection<SpiffeId> ids) {
      for (SpiffeId id : ids) {
        if (id == null) {
          throw new MeshConfigException("accepted SPIFFE ID", null, "a SPIFFE ID");
        }
        accepted.add(id);
      }
      return this;
    }

    /**
     * Accepts every workload ID of the bundle's trust domain (the chain and SVID rules still
     * apply). For a server with many callers, which then decides per caller with a {@link
     * PeerAuthorizer}; a client should name the exact peers it expects instead.
     */
    public Builder acceptAnyMember() {
      this.anyMember = true;
      return this;
    }

    /** Where the time for validity checks comes from. Default {@link MeshClock#system()}. */
    public Builder clock(MeshClock clock) {
      this.clock = clock;
      return this;
    }

    /** A verifier, or {@link MeshConfigException} naming the missing or inconsistent setting. */
    public SpiffeVerifier build() {
      if (trustBundle == null) {
        throw new MeshConfigException("verifier trust bundle", null, "a trust bundle");
      }
      if (clock == null) {
        throw new MeshConfigException("verifier clock", null, "a MeshClock");
      }
      if (accepted.isEmpty() && !anyMember) {
        throw new MeshConfigException(
            "verifier accepted SPIFFE IDs",
            "[]",
            "at least one ID, or acceptAnyMember() to accept the whole trust domain");
      }
      for (SpiffeId id : accepted) {
        if (!id.isMemberOf(trustBundle.trustDomain())) {
          throw new MeshConfigException(
              "verifier accepted SPIFFE ID",
              id,
              "an ID in the bundle's trust domain '" + trustBundle.trustDomain() + "'");
        }
        if (id.isTrustDomainId()) {
          throw new MeshConfigException(
              "verifier accepted SPIFFE ID", id, "a workload ID with a path");
        }
      }
      return new SpiffeVerifier(this, Set.copyOf(accepted));
    }
  }
}
