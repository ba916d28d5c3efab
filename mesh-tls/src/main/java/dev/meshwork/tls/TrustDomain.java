package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.SpiffeIdRules;

/**
 * A SPIFFE trust domain such as {@code example.org}: the boundary within which one set of trust
 * anchors vouches for identities. Kept as its own type so a trust domain can never be confused with
 * a service name or a host name.
 *
 * <p>Names are lowercase letters, digits, {@code .}, {@code -} and {@code _}, at most 255
 * characters, with no scheme, port or user info.
 */
public record TrustDomain(String name) implements Comparable<TrustDomain> {

  /** The trust domain the built-in CA uses unless told otherwise, as in Istio and Linkerd. */
  public static final TrustDomain DEFAULT = new TrustDomain("cluster.local");

  /** Validates the name; see the type's documentation for the rules. */
  public TrustDomain {
    String problem = SpiffeIdRules.problemWithTrustDomain(name);
    if (problem != null) {
      throw new MeshConfigException("trust domain", name, problem);
    }
  }

  /** Returns the trust domain called {@code name}, or throws {@link MeshConfigException}. */
  public static TrustDomain of(String name) {
    return new TrustDomain(name);
  }

  /** The SPIFFE ID of the trust domain itself ({@code spiffe://<name>}, empty path). */
  public SpiffeId id() {
    return new SpiffeId(this, "");
  }

  @Override
  public int compareTo(TrustDomain other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
