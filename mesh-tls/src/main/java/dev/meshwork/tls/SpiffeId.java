package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.SpiffeIdRules;
import java.net.URI;

/**
 * A workload identity in SPIFFE form, {@code spiffe://<trust-domain>/<path>}. Mesh peers are
 * authenticated by this ID, never by host name, because the mesh connects to endpoint addresses.
 *
 * <p>Parsing follows the SPIFFE ID standard strictly and refuses, with the rule that was broken:
 * another scheme, an empty or uppercase trust domain, a port or user info, a query or fragment,
 * empty, {@code .} or {@code ..} path segments, a trailing slash, characters outside {@code
 * [A-Za-z0-9._-]} in the path (so no percent-encoding) and IDs over 2048 bytes.
 *
 * <p>The default form for a service is {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>},
 * as Istio and Linkerd use: {@link #forService(TrustDomain, String, String)}.
 *
 * @param trustDomain the trust domain
 * @param path the path, empty or starting with '/'
 */
public record SpiffeId(TrustDomain trustDomain, String path) implements Comparable<SpiffeId> {

  /** Validates the parts; see the type's documentation for the rules. */
  public SpiffeId {
    if (trustDomain == null) {
      throw new MeshConfigException("SPIFFE ID trust domain", null, "a trust domain");
    }
    String problem = SpiffeIdRules.problemWithPath(path);
    if (problem != null) {
      throw new MeshConfigException("SPIFFE ID path", path, problem);
    }
    int length = SpiffeIdRules.PREFIX.length() + trustDomain.name().length() + path.length();
    if (length > SpiffeIdRules.MAX_ID_BYTES) {
      throw new MeshConfigException(
          "SPIFFE ID path",
          path,
          "at most " + SpiffeIdRules.MAX_ID_BYTES + " bytes in a SPIFFE ID");
    }
  }

  /** Parses {@code id}, or throws {@link MeshConfigException} naming the rule it breaks. */
  public static SpiffeId parse(String id) {
    String problem = SpiffeIdRules.problemWithId(id);
    if (problem != null) {
      throw new MeshConfigException("SPIFFE ID", id, problem);
    }
    String rest = id.substring(SpiffeIdRules.PREFIX.length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? new SpiffeId(new TrustDomain(rest), "")
        : new SpiffeId(new TrustDomain(rest.substring(0, slash)), rest.substring(slash));
  }

  /**
   * The default identity of a service: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}.
   * Each of {@code namespace} and {@code service} must be one valid path segment.
   */
  public static SpiffeId forService(TrustDomain trustDomain, String namespace, String service) {
    requireSegment("SPIFFE ID namespace", namespace);
    requireSegment("SPIFFE ID service", service);
    return new SpiffeId(trustDomain, "/ns/" + namespace + "/sa/" + service);
  }

  /** True when this ID belongs to {@code domain}. */
  public boolean isMemberOf(TrustDomain domain) {
    return trustDomain.equals(domain);
  }

  /** True for the ID of a trust domain itself (empty path), which no workload may carry. */
  public boolean isTrustDomainId() {
    return path.isEmpty();
  }

  /** This ID as a URI, as it appears in a certificate's subject alternative name. */
  public URI toUri() {
    return URI.create(toString());
  }

  @Override
  public int compareTo(SpiffeId other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return SpiffeIdRules.PREFIX + trustDomain.name() + path;
  }

  private static void requireSegment(String field, String segment) {
    String problem = SpiffeIdRules.problemWithSegment(segment);
    if (problem != null) {
      throw new MeshConfigException(field, segment, "one path segment: " + problem);
    }
  }
}
