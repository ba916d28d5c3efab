package dev.meshwork.core.balancer;

import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where consistent-hashing balancers ({@link LoadBalancers#ringHash}, {@link LoadBalancers#maglev})
 * take a request's key from. Requests with the same key go to the same endpoint while the endpoint
 * set is unchanged. A request without a key is balanced at random.
 *
 * <pre>{@code
 * var byUser = LoadBalancers.maglev(HashPolicy.header("x-user-id"));
 * var bySession = LoadBalancers.ringHash(HashPolicy.cookie("session"));
 * var byPath = LoadBalancers.maglev(HashPolicy.of(request -> request.path()));
 * }</pre>
 */
public final class HashPolicy {
  private final String description;
  private final Function<MeshRequest, String> key;

  /** Whether the description says all the policy does (a header or cookie, not a function). */
  private final boolean described;

  private HashPolicy(String description, Function<MeshRequest, String> key, boolean described) {
    this.description = description;
    this.key = key;
    this.described = described;
  }

  /** The value of request header {@code name}. */
  public static HashPolicy header(String name) {
    Objects.requireNonNull(name, "name");
    return new HashPolicy("header " + name, request -> request.header(name), true);
  }

  /** The value of cookie {@code name} in the {@code Cookie} header. */
  public static HashPolicy cookie(String name) {
    Objects.requireNonNull(name, "name");
    return new HashPolicy(
        "cookie " + name, request -> cookieValue(request.header("Cookie"), name), true);
  }

  /** A key computed by {@code key}; returning {@code null} means "no key". */
  public static HashPolicy of(Function<MeshRequest, String> key) {
    return new HashPolicy("function", Objects.requireNonNull(key, "key"), false);
  }

  /** The key of {@code request}, or {@code null} when it has none. */
  public String keyOf(MeshRequest request) {
    return key.apply(request);
  }

  /**
   * Equal when both hash the same header or the same cookie; a policy {@linkplain #of made from a
   * function} equals only policies made from that same function.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof HashPolicy that
        && description.equals(that.description)
        && (described ? that.described : key == that.key);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }

  @Override
  public String toString() {
    return description;
  }

  private static String cookieValue(String cookies, String name) {
    if (cookies == null) {
      return null;
    }
    for (String pair : cookies.split(";")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
        return pair.substring(equals + 1).strip();
      }
    }
    return null;
  }
}
