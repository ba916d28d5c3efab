package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One instance of a service: where to connect and what the balancer and router may know of it.
 *
 * <p>Two endpoints with the same {@link #address()} are the same instance; a discovery update that
 * changes only weight, zone or labels keeps the instance's statistics.
 *
 * <pre>{@code
 * Endpoint v2 = Endpoint.parse("10.0.4.7:10044 weight=2 zone=eqiad-a version=v2");
 * Endpoint same = Endpoint.builder("10.0.4.7", 10044)
 *     .weight(2).zone("eqiad-a").label("version", "v2").build();
 * Endpoint plain = Endpoint.parse("127.0.0.1:8081");
 * }</pre>
 *
 * @param host a DNS name or an IP literal (IPv6 without brackets)
 * @param port 1..65535
 * @param weight relative share for weighted balancers, 1..{@value #MAX_WEIGHT}; default 1
 * @param zone the locality (for example a Kubernetes topology zone); empty when unknown
 * @param labels free-form labels such as {@code version=v2}, used to form subsets
 */
public record Endpoint(String host, int port, int weight, String zone, Map<String, String> labels) {
  /**
   * Largest accepted weight; large enough for any ratio, small enough that sums cannot overflow.
   */
  public static final int MAX_WEIGHT = 1_000_000;

  /** Validates every field and copies the labels. */
  public Endpoint {
    host = checkHost(host);
    if (port < 1 || port > 65535) {
      throw new MeshConfigException(
          "endpoint " + host + " port", port, "a port number in 1..65535");
    }
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new MeshConfigException(
          "endpoint " + host + ":" + port + " weight", weight, "a weight in 1.." + MAX_WEIGHT);
    }
    zone = zone == null ? "" : zone;
    Objects.requireNonNull(labels, "labels");
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (label.getKey() == null || label.getKey().isBlank() || label.getValue() == null) {
        throw new MeshConfigException(
            "endpoint " + host + ":" + port + " label",
            label,
            "a non-blank key with a non-null value");
      }
    }
    // Up to one label has one order; Map.copyOf keeps an immutable map as it is, without a copy.
    labels = labels.size() <= 1 ? Map.copyOf(labels) : Map.copyOf(new TreeMap<>(labels));
  }

  /** An endpoint with weight 1, no zone and no labels. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, 1, "", Map.of());
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}, optionally followed by space-separated
   * attributes: {@code weight=N}, {@code zone=Z}, and any other {@code key=value} as a label.
   *
   * <pre>{@code
   * Endpoint v2 = Endpoint.parse("10.0.4.7:10044 weight=2 zone=eqiad-a version=v2");
   * }</pre>
   *
   * @throws MeshConfigException naming the text, the part that is wrong and what was expected
   */
  public static Endpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MeshConfigException(
          "endpoint",
          text,
          "'host:port [weight=N] [zone=Z] [key=value ...]', for example '10.0.0.7:8080 zone=a version=v2'");
    }
    // Any character strip() removes separates attributes too, so a trailing one is never kept.
    String[] parts = text.strip().split("\\p{javaWhitespace}+");
    Endpoint address = parseAddress(parts[0]);
    if (parts.length == 1) {
      return address;
    }
    Builder builder = builder(address.host(), address.port());
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i];
      int equals = attribute.indexOf('=');
      if (equals <= 0) {
        throw new MeshConfigException(
            "endpoint '" + text.strip() + "' attribute",
            attribute,
            "'key=value', for example 'zone=eqiad-a', 'weight=2' or 'version=v2'");
      }
      String key = attribute.substring(0, equals);
      String value = attribute.substring(equals + 1);
      switch (key) {
        case "weight" -> builder.weight(parseWeight(text, value));
        case "zone" -> builder.zone(value);
        default -> {
          if (builder.labels.containsKey(key)) {
            throw new MeshConfigException(
                "endpoint '" + text.strip() + "' label " + key, value, "each label once");
          }
          builder.label(key, value);
        }
      }
    }
    return builder.build();
  }

  private static int parseWeight(String text, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new MeshConfigException(
          "endpoint '" + text.strip() + "' weight", value, "a weight in 1.." + MAX_WEIGHT);
    }
  }

  private static Endpoint parseAddress(String hostAndPort) {
    String text = hostAndPort;
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw new MeshConfigException(
            "endpoint", hostAndPort, "'[ipv6]:port', for example '[::1]:8080'");
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0 || text.indexOf(':') != colon) {
        throw new MeshConfigException(
            "endpoint",
            hostAndPort,
            "'host:port' (IPv6 addresses in brackets), for example '10.0.0.7:8080'");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new MeshConfigException(
          "endpoint " + hostAndPort + " port", port, "a port number in 1..65535");
    }
    return of(host, portNumber);
  }

  /** Starts a builder for an endpoint at {@code host:port}. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder initialised from this endpoint. */
  public Builder toBuilder() {
    Builder builder = new Builder(host, port).weight(weight).zone(zone);
    builder.labels.putAll(labels);
    return builder;
  }

  /** The instance's identity: {@code host:port}, with IPv6 literals in brackets. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The value of a label; empty when the endpoint has no such label. */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /**
   * Hashes the address only: equal endpoints share it, and endpoints key per-attempt caches, where
   * hashing the labels map on every lookup would cost more than the lookup.
   */
  @Override
  public int hashCode() {
    return 31 * host.hashCode() + port;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(address());
    if (weight != 1) {
      text.append(" weight=").append(weight);
    }
    if (!zone.isEmpty()) {
      text.append(" zone=").append(zone);
    }
    if (!labels.isEmpty()) {
      text.append(" labels=").append(new TreeMap<>(labels));
    }
    return text.toString();
  }

  private static String checkHost(String host) {
    if (host == null || host.isBlank()) {
      throw new MeshConfigException("endpoint host", host, "a DNS name or an IP address");
    }
    boolean ipv6 = host.indexOf(':') >= 0;
    if (ipv6 ? !isIpv6Literal(host) : !isHostname(host) || host.length() > 253) {
      throw new MeshConfigException(
          "endpoint host",
          host,
          ipv6
              ? "an IPv6 literal without brackets, for example '::1'"
              : "a DNS name or an IPv4 address");
    }
    return host;
  }

  /**
   * Dot-separated labels of letters, digits, '-' and '_', none empty or starting or ending with
   * '-', with an optional final dot. Checked by hand: a regex match per endpoint costs more than
   * the rest of its validation.
   */
  private static boolean isHostname(String host) {
    int end = host.endsWith(".") ? host.length() - 1 : host.length();
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int stop = dot < 0 || dot > end ? end : dot;
      if (stop == start || host.charAt(start) == '-' || host.charAt(stop - 1) == '-') {
        return false;
      }
      for (int i = start; i < stop; i++) {
        char c = host.charAt(i);
        if (!(isAlphanumeric(c) || c == '_' || c == '-')) {
          return false;
        }
      }
      if (stop == end) {
        return true;
      }
      start = stop + 1;
    }
  }

  /** Hex digits, ':' and '.', then optionally '%' and a zone of letters, digits, '_', '.', '-'. */
  private static boolean isIpv6Literal(String host) {
    int percent = host.indexOf('%');
    int end = percent < 0 ? host.length() : percent;
    if (end == 0 || percent == host.length() - 1) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
          && c != ':'
          && c != '.') {
        return false;
      }
    }
    for (int i = end + 1; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(isAlphanumeric(c) || c == '_' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /** Builds an {@link Endpoint}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private int weight = 1;
    private String zone = "";
    private final Map<String, String> labels = new TreeMap<>();

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** Relative share for weighted balancers; default 1. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** The locality of the instance; default empty (unknown). */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** Adds or replaces a label, for example {@code label("version", "v2")}. */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Validates and returns the endpoint. */
    public Endpoint build() {
      return new Endpoint(host, port, weight, zone, labels);
    }
  }
}
