package dev.meshwork.core.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What this workload presents to a service's endpoints right now, for the admin view and the
 * certificate-expiry gauge: its identity, its chain and the anchors it verifies peers against.
 * Descriptions only: no key material.
 *
 * @param identity this workload's identity, for example its SPIFFE ID
 * @param chain the presented chain, leaf first; never empty
 * @param trustAnchors the anchors peers are verified against
 */
public record CertificateInfo(
    String identity, List<CertificateSummary> chain, List<CertificateSummary> trustAnchors) {

  /** Copies the lists. */
  public CertificateInfo {
    Objects.requireNonNull(identity, "identity");
    chain = List.copyOf(chain);
    trustAnchors = List.copyOf(trustAnchors);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain: empty; expected the leaf first");
    }
  }

  /** The leaf, the certificate this workload presents. */
  public CertificateSummary leaf() {
    return chain.get(0);
  }

  /** When the leaf stops being valid. */
  public Instant notAfter() {
    return leaf().notAfter();
  }

  /** Whole seconds from {@code now} until the leaf expires; negative once it has. */
  public long secondsToExpiry(Instant now) {
    return Duration.between(now, notAfter()).toSeconds();
  }
}
