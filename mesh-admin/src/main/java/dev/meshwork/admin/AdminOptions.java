package dev.meshwork.admin;

import dev.meshwork.core.exception.MeshConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a {@link MeshAdmin} listens and whom it answers. It serves read-only JSON ({@code
 * /clusters}, {@code /config}, {@code /certs}, {@code /decisions}, {@code /ready}) and a live HTML
 * dashboard at {@code /}; no output ever holds key material, tokens or passwords.
 *
 * <pre>{@code
 * MeshAdmin.start(mesh, AdminOptions.builder().port(9901).build())
 * }</pre>
 *
 * <p>Defaults: port {@value #DEFAULT_PORT} (Envoy's admin port), bound to the loopback address
 * {@code 127.0.0.1}. Binding to any other address must be asked for with {@link
 * Builder#allowNonLoopback(boolean)}: the endpoint shows the mesh's topology and has no
 * authentication.
 *
 * <p>The endpoint serves only GET and HEAD (405 otherwise, and no request body is read) and only
 * requests whose {@code Host} header names {@code localhost}, the address they arrived on, or one
 * of the {@link Builder#allowedHosts(String...) allowed host names} (421 otherwise), so a web page
 * that rebinds its own domain to this address cannot read it.
 */
public final class AdminOptions {
  /** Envoy's admin port. */
  public static final int DEFAULT_PORT = 9901;

  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private final int port;
  private final InetAddress bindAddress;
  private final Set<String> allowedHosts;

  private AdminOptions(int port, InetAddress bindAddress, Set<String> allowedHosts) {
    this.port = port;
    this.bindAddress = bindAddress;
    this.allowedHosts = allowedHosts;
  }

  /** The defaults: port 9901 on 127.0.0.1. */
  public static AdminOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TCP port; 0 for any free port (read the chosen one from {@link MeshAdmin#address()}). */
  public int port() {
    return port;
  }

  public InetAddress bindAddress() {
    return bindAddress;
  }

  /**
   * Host names, in lower case, that requests may name besides {@code localhost} and the address
   * they arrived on.
   */
  public Set<String> allowedHosts() {
    return allowedHosts;
  }

  @Override
  public String toString() {
    return "AdminOptions{bind="
        + bindAddress.getHostAddress()
        + ":"
        + port
        + ", allowedHosts="
        + allowedHosts
        + "}";
  }

  /** Collects the options; {@link #build()} validates them. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String bindAddress = "127.0.0.1";
    private boolean allowNonLoopback;
    private List<String> allowedHosts = List.of();

    private Builder() {}

    /** The TCP port, 0 to 65535 (0: any free port); default {@value AdminOptions#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The address to listen on, as an IP literal or a host name; default {@code 127.0.0.1}. */
    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    /**
     * Allows a bind address other than loopback (for example {@code 0.0.0.0}, to reach the endpoint
     * from outside a container). Off by default: the endpoint has no authentication.
     */
    public Builder allowNonLoopback(boolean allow) {
      this.allowNonLoopback = allow;
      return this;
    }

    /**
     * Further names requests may give in their {@code Host} header, such as the DNS name the
     * endpoint is reached by from outside ({@code mesh-admin.internal}); replaces earlier ones.
     * {@code localhost} and the address a request arrived on are always accepted.
     */
    public Builder allowedHosts(String... names) {
      this.allowedHosts = names == null ? null : Arrays.asList(names.clone());
      return this;
    }

    /**
     * @throws MeshConfigException naming the field, the value and what is accepted
     */
    public AdminOptions build() {
      if (port < 0 || port > 65_535) {
        throw new MeshConfigException("admin port", port, "0 (any free port) to 65535");
      }
      if (bindAddress == null || bindAddress.isBlank()) {
        throw new MeshConfigException(
            "admin bindAddress", bindAddress, "an IP address or host name, such as 127.0.0.1");
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(bindAddress);
      } catch (UnknownHostException e) {
        throw new MeshConfigException(
            "admin bindAddress", bindAddress, "an IP address or a host name that resolves");
      }
      if (!address.isLoopbackAddress() && !allowNonLoopback) {
        throw new MeshConfigException(
            "admin bindAddress",
            bindAddress,
            "a loopback address, or allowNonLoopback(true) to expose the unauthenticated admin endpoint beyond this host");
      }
      if (allowedHosts == null) {
        throw new MeshConfigException("admin allowedHosts", null, "host names, or none");
      }
      Set<String> hosts = new TreeSet<>();
      for (String name : allowedHosts) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.length() > 253 || !HOST_NAME.matcher(lower).matches()) {
          throw new MeshConfigException(
              "admin allowedHosts",
              name,
              "a host name such as mesh-admin.internal or an IPv4 address, without scheme, port or wildcard");
        }
        hosts.add(lower);
      }
      return new AdminOptions(port, address, Collections.unmodifiableSet(hosts));
    }
  }
}
