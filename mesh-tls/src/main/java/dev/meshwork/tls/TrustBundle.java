package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.Certificates;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The trust anchors (root CA certificates) of one trust domain. A bundle may hold several anchors
 * so a CA can be rotated in three steps without downtime: add the new anchor everywhere, switch
 * issuing to it, then remove the old one ({@link #with}, {@link #without}).
 *
 * <p>Immutable; every anchor must be a CA certificate (basic constraints with cA=true).
 */
public final class TrustBundle {
  private final TrustDomain trustDomain;
  private final List<X509Certificate> anchors;
  private final Set<TrustAnchor> pkixAnchors;

  /** The anchors as a set, for order-blind equality; compared on every handshake's bundle check. */
  private final Set<X509Certificate> anchorSet;

  private TrustBundle(TrustDomain trustDomain, List<X509Certificate> anchors) {
    if (trustDomain == null) {
      throw new MeshConfigException("trust bundle trust domain", null, "a trust domain");
    }
    if (anchors.isEmpty()) {
      throw new MeshConfigException(
          "trust bundle for '" + trustDomain + "'", "[]", "at least one trust anchor");
    }
    Set<X509Certificate> unique = new LinkedHashSet<>();
    Set<TrustAnchor> pkix = new LinkedHashSet<>();
    for (X509Certificate anchor : anchors) {
      if (anchor == null) {
        throw new MeshConfigException(
            "trust bundle for '" + trustDomain + "'", null, "no null trust anchors");
      }
      if (anchor.getBasicConstraints() < 0) {
        throw new MeshConfigException(
            "trust bundle for '" + trustDomain + "' anchor",
            Certificates.describe(anchor),
            "a CA certificate (basic constraints cA=true)");
      }
      if (unique.add(anchor)) {
        pkix.add(new TrustAnchor(anchor, null));
      }
    }
    this.trustDomain = trustDomain;
    this.anchors = List.copyOf(unique);
    this.pkixAnchors = Set.copyOf(pkix);
    this.anchorSet = Set.copyOf(unique);
  }

  /** A bundle for {@code trustDomain} holding {@code anchors} (duplicates are dropped). */
  public static TrustBundle of(TrustDomain trustDomain, X509Certificate... anchors) {
    return new TrustBundle(trustDomain, Arrays.asList(anchors.clone()));
  }

  /** A bundle for {@code trustDomain} holding {@code anchors} (duplicates are dropped). */
  public static TrustBundle of(TrustDomain trustDomain, Collection<X509Certificate> anchors) {
    return new TrustBundle(trustDomain, new ArrayList<>(anchors));
  }

  /** The trust domain whose identities these anchors vouch for. */
  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** The anchors, in the order they were given. */
  public List<X509Certificate> anchors() {
    return anchors;
  }

  /** The anchors in the form the JDK's PKIX validator takes. */
  public Set<TrustAnchor> pkixAnchors() {
    return pkixAnchors;
  }

  /** True when {@code certificate} is one of the anchors. */
  public boolean contains(X509Certificate certificate) {
    return anchors.contains(certificate);
  }

  /** This bundle plus {@code anchor}: step one of an anchor rotation. */
  public TrustBundle with(X509Certificate anchor) {
    List<X509Certificate> next = new ArrayList<>(anchors);
    next.add(anchor);
    return new TrustBundle(trustDomain, next);
  }

  /**
   * This bundle without {@code anchor}: the last step of an anchor rotation. Refused when it would
   * leave the bundle empty.
   */
  public TrustBundle without(X509Certificate anchor) {
    List<X509Certificate> next = new ArrayList<>(anchors);
    next.remove(anchor);
    return new TrustBundle(trustDomain, next);
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof TrustBundle that
            && trustDomain.equals(that.trustDomain)
            && anchorSet.equals(that.anchorSet);
  }

  @Override
  public int hashCode() {
    return trustDomain.hashCode() * 31 + anchorSet.hashCode();
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (X509Certificate anchor : anchors) {
      names.add(Certificates.describe(anchor));
    }
    return "TrustBundle{" + trustDomain + ", anchors=" + names + "}";
  }
}
