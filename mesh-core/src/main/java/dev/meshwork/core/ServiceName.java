package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.regex.Pattern;

/**
 * The logical name of a service, as callers write it in URLs: {@code http://mathoid/render}.
 *
 * <p>Names follow the Kubernetes rules for DNS subdomains (RFC 1123): lowercase letters, digits,
 * {@code -} and {@code .}, starting and ending with a letter or digit, at most 253 characters. That
 * keeps every service name usable as a URL host and as a Kubernetes service name.
 *
 * <pre>{@code
 * ServiceName mathoid = ServiceName.of("mathoid");
 * }</pre>
 */
public record ServiceName(String value) implements Comparable<ServiceName> {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_LENGTH = 253;

  /** Validates the name; see the type's documentation for the rules. */
  public ServiceName {
    String problem = problemWith(value);
    if (problem != null) {
      throw new MeshConfigException("service name", value, problem);
    }
  }

  /** Returns the service called {@code value}, or throws {@link MeshConfigException}. */
  public static ServiceName of(String value) {
    return new ServiceName(value);
  }

  /** True when {@code host} would be accepted as a service name. */
  public static boolean isValid(String host) {
    return problemWith(host) == null;
  }

  private static String problemWith(String value) {
    if (value == null || value.isEmpty()) {
      return "a non-empty DNS name such as 'mathoid'";
    }
    if (value.length() > MAX_LENGTH) {
      return "at most " + MAX_LENGTH + " characters";
    }
    for (String label : value.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return "dot-separated labels of lowercase letters, digits and '-', each 1..63 characters"
            + " and starting and ending with a letter or digit";
      }
    }
    return null;
  }

  @Override
  public int compareTo(ServiceName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
