package dev.meshwork.tls.internal;

import java.nio.charset.StandardCharsets;

/**
 * The character and structure rules of the SPIFFE ID standard, shared by {@code SpiffeId} and
 * {@code TrustDomain}. Each check returns {@code null} when the input is fine, or the rule it
 * breaks, worded to follow "expected" in a {@code MeshConfigException} message.
 */
public final class SpiffeIdRules {
  /** The scheme and authority separator every SPIFFE ID starts with. */
  public static final String PREFIX = "spiffe://";

  /** The standard's limit for a whole SPIFFE ID, in bytes of its UTF-8 form. */
  public static final int MAX_ID_BYTES = 2048;

  /** The standard's limit for a trust domain name, in characters. */
  public static final int MAX_TRUST_DOMAIN_LENGTH = 255;

  private SpiffeIdRules() {}

  /** The rule {@code id} (a whole SPIFFE ID) breaks, or null. */
  public static String problemWithId(String id) {
    if (id == null || id.isEmpty()) {
      return "a non-empty SPIFFE ID such as 'spiffe://example.org/ns/default/sa/mathoid'";
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      return "at most " + MAX_ID_BYTES + " bytes in a SPIFFE ID";
    }
    if (!id.startsWith(PREFIX)) {
      if (id.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        return "the scheme 'spiffe://' in lowercase";
      }
      return "the scheme 'spiffe://' (a SPIFFE ID is 'spiffe://<trust-domain>/<path>')";
    }
    if (id.indexOf('?') >= 0) {
      return "no query ('?') in a SPIFFE ID";
    }
    if (id.indexOf('#') >= 0) {
      return "no fragment ('#') in a SPIFFE ID";
    }
    String rest = id.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
    String problem = problemWithTrustDomain(trustDomain);
    if (problem != null) {
      return problem;
    }
    return slash < 0 ? null : problemWithPath(rest.substring(slash));
  }

  /** The rule {@code name} (a trust domain name, without scheme) breaks, or null. */
  public static String problemWithTrustDomain(String name) {
    if (name == null || name.isEmpty()) {
      return "a trust domain after 'spiffe://', such as 'example.org'";
    }
    if (name.indexOf('@') >= 0) {
      return "no user info ('@') in the trust domain";
    }
    if (name.indexOf(':') >= 0) {
      return "no port (':') in the trust domain";
    }
    if (name.length() > MAX_TRUST_DOMAIN_LENGTH) {
      return "a trust domain of at most " + MAX_TRUST_DOMAIN_LENGTH + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return "a lowercase trust domain (found uppercase '" + c + "')";
      }
      if (!isTrustDomainChar(c)) {
        return "trust domain characters limited to lowercase letters, digits, '.', '-' and '_'"
            + " (found '"
            + c
            + "')";
      }
    }
    return null;
  }

  /**
   * The rule {@code path} breaks, or null. The empty path is allowed (it names the trust domain
   * itself); otherwise the path starts with '/'.
   */
  public static String problemWithPath(String path) {
    if (path == null) {
      return "a path, possibly empty";
    }
    if (path.isEmpty()) {
      return null;
    }
    if (path.charAt(0) != '/') {
      return "a path starting with '/'";
    }
    if (path.endsWith("/")) {
      return "no trailing slash in the path";
    }
    for (String segment : path.substring(1).split("/", -1)) {
      String problem = problemWithSegment(segment);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** The rule one path segment (without slashes) breaks, or null. */
  public static String problemWithSegment(String segment) {
    if (segment == null || segment.isEmpty()) {
      return "no empty path segments ('//')";
    }
    if (segment.equals(".") || segment.equals("..")) {
      return "no '.' or '..' path segments";
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!isPathChar(c)) {
        return "path segment characters limited to letters, digits, '.', '-' and '_'"
            + " (found '"
            + c
            + "'; percent-encoding is not allowed)";
      }
    }
    return null;
  }

  private static boolean isTrustDomainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  }

  private static boolean isPathChar(char c) {
    return isTrustDomainChar(c) || (c >= 'A' && c <= 'Z');
  }
}
