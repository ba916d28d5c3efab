package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.Keys;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one workload needs for mutual TLS: its private key, its X.509-SVID chain (leaf first)
 * and the trust bundle it verifies peers against. Kept together so that key, certificate and
 * anchors are always swapped as one consistent set when a certificate is renewed.
 *
 * <p>Immutable. {@link #toString()} never shows the private key.
 */
public final class IssuedIdentity {
  private final SpiffeId spiffeId;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final TrustBundle trustBundle;

  private IssuedIdentity(
      SpiffeId spiffeId, PrivateKey privateKey, List<X509Certificate> chain, TrustBundle bundle) {
    this.spiffeId = spiffeId;
    this.privateKey = privateKey;
    this.chain = chain;
    this.trustBundle = bundle;
  }

  /**
   * Checks that {@code chain} starts with an SVID whose public key belongs to {@code privateKey}
   * and whose SPIFFE ID is in {@code trustBundle}'s trust domain, or throws {@link
   * MeshConfigException} saying which part does not fit.
   */
  public static IssuedIdentity of(
      PrivateKey privateKey, List<X509Certificate> chain, TrustBundle trustBundle) {
    if (chain == null || chain.isEmpty() || chain.stream().anyMatch(c -> c == null)) {
      throw new MeshConfigException(
          "identity certificate chain", chain, "a leaf certificate first");
    }
    if (trustBundle == null) {
      throw new MeshConfigException("identity trust bundle", null, "a trust bundle");
    }
    X509Certificate leaf = chain.get(0);
    if (privateKey == null || !Keys.matches(privateKey, leaf.getPublicKey())) {
      throw new MeshConfigException(
          "identity private key",
          privateKey == null ? null : privateKey.getAlgorithm() + " private key",
          "the private key of leaf " + Certificates.describe(leaf));
    }
    SpiffeId id;
    try {
      id = SpiffeVerifier.identityOf(leaf);
    } catch (SvidRejectedException e) {
      throw new MeshConfigException(
          "identity leaf", Certificates.describe(leaf), "an X.509-SVID: " + e.getMessage());
    }
    if (!id.isMemberOf(trustBundle.trustDomain())) {
      throw new MeshConfigException(
          "identity SPIFFE ID",
          id,
          "an ID in the trust bundle's trust domain '" + trustBundle.trustDomain() + "'");
    }
    return new IssuedIdentity(id, privateKey, List.copyOf(chain), trustBundle);
  }

  /** The workload's SPIFFE ID, from the leaf's URI SAN. */
  public SpiffeId spiffeId() {
    return spiffeId;
  }

  /** The leaf's private key. Never log it. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The workload's own certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The chain to present in a handshake: the leaf, then any intermediates. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The anchors to verify peers with. */
  public TrustBundle trustBundle() {
    return trustBundle;
  }

  /** The anchor certificates of {@link #trustBundle()}. */
  public List<X509Certificate> trustAnchors() {
    return trustBundle.anchors();
  }

  /** When the leaf starts being valid (backdated a little by the built-in CA). */
  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  /** When the leaf stops being valid; renewal must happen before. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IssuedIdentity that
        && privateKey.equals(that.privateKey)
        && chain.equals(that.chain)
        && trustBundle.equals(that.trustBundle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chain, trustBundle);
  }

  @Override
  public String toString() {
    return "IssuedIdentity{"
        + spiffeId
        + ", leaf "
        + Certificates.describe(leaf())
        + ", notAfter="
        + notAfter()
        + ", chain length "
        + chain.size()
        + ", "
        + trustBundle
        + "}";
  }
}
