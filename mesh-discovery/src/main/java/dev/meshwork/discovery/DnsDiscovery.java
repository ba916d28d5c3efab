package dev.meshwork.discovery;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.discovery.internal.DnsLookup;
import dev.meshwork.discovery.internal.DnsWatch;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * Endpoints from DNS, through dnsjava and a resolver of your choice: the A and AAAA records of a
 * name on a fixed port, or SRV records, which carry ports and weights (Kubernetes headless
 * services, Consul).
 *
 * <pre>{@code
 * DiscoverySource mathoid = DnsDiscovery.srv("_http._tcp.mathoid.default.svc.cluster.local")
 *     .resolver(new InetSocketAddress("10.96.0.10", 53))
 *     .build();
 * DiscoverySource restbase = DnsDiscovery.addresses("restbase.discovery.wmnet", 7231).build();
 * }</pre>
 *
 * <p>Each service is re-queried when its answer's TTL runs out, bounded to [{@code minRefresh},
 * {@code maxRefresh}] (defaults 1 s and 60 s), and {@code minRefresh} after a failure. Only the
 * lowest-priority SRV records are used; an SRV weight becomes the endpoint's weight (0 becomes 1).
 *
 * <p>What counts as an answer: records with usable addresses, or a lone SRV record with target
 * {@code .} (the service explicitly has no instances). Everything else keeps the last good
 * endpoints and is reported with the source, the service and the reason: a timeout, an error code,
 * no records or NXDOMAIN (through a recursive resolver this is as often a broken zone as a retired
 * service), an SRV target that does not resolve, an SRV port 0.
 */
public final class DnsDiscovery implements DiscoverySource {
  private final Name name;
  private final boolean srv;
  private final int port;
  private final Resolver resolver;
  private final InetSocketAddress resolverAddress;
  private final String resolverText;
  private final Duration timeout;
  private final Duration minRefresh;
  private final Duration maxRefresh;

  private DnsDiscovery(Builder builder, Name name, Resolver resolver) {
    this.name = name;
    this.srv = builder.srv;
    this.port = builder.port;
    this.resolver = resolver;
    this.resolverAddress = builder.resolver;
    this.timeout = builder.timeout;
    InetSocketAddress address = builder.resolver;
    this.resolverText =
        address == null
            ? "system resolver"
            : (address.getAddress() != null
                    ? address.getAddress().getHostAddress()
                    : address.getHostString())
                + ":"
                + address.getPort();
    this.minRefresh = builder.minRefresh;
    this.maxRefresh = builder.maxRefresh;
  }

  /** A source of the A and AAAA records of {@code hostname}, each an endpoint on {@code port}. */
  public static Builder addresses(String hostname, int port) {
    return new Builder(hostname, false, port);
  }

  /**
   * A source of the SRV records of {@code name}, for example {@code
   * _http._tcp.mathoid.example.org}.
   */
  public static Builder srv(String name) {
    return new Builder(name, true, 0);
  }

  /** The name queried, without the root's trailing dot. */
  public String name() {
    return name.toString(true);
  }

  /** Whether SRV records are asked for (else A and AAAA records). */
  public boolean srv() {
    return srv;
  }

  /** The port of every endpoint of an A/AAAA source; 0 for SRV, whose records carry ports. */
  public int port() {
    return port;
  }

  /** The DNS server asked; empty for the system's resolvers. */
  public Optional<InetSocketAddress> resolver() {
    return Optional.ofNullable(resolverAddress);
  }

  /** How long one query may take. */
  public Duration timeout() {
    return timeout;
  }

  /** The shortest time between two queries, and the retry delay after a failure. */
  public Duration minRefresh() {
    return minRefresh;
  }

  /** The longest time between two queries. */
  public Duration maxRefresh() {
    return maxRefresh;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    DnsLookup lookup = new DnsLookup(resolver, context.scheduler());
    return new DnsWatch(
        describe(),
        service,
        listener,
        context.scheduler(),
        () -> srv ? lookup.srv(name) : lookup.addresses(name, port),
        minRefresh,
        maxRefresh);
  }

  @Override
  public String describe() {
    return srv
        ? "dns[SRV " + name + " via " + resolverText + "]"
        : "dns[A/AAAA " + name + ":" + port + " via " + resolverText + "]";
  }

  /**
   * Equal when every setting is: the name, record type, port, resolver, timeout and refresh bounds.
   * A config swap keeps the running watch of an equal source rather than starting another.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof DnsDiscovery that
        && name.equals(that.name)
        && srv == that.srv
        && port == that.port
        && Objects.equals(resolverAddress, that.resolverAddress)
        && timeout.equals(that.timeout)
        && minRefresh.equals(that.minRefresh)
        && maxRefresh.equals(that.maxRefresh);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, srv, port, resolverAddress, timeout, minRefresh, maxRefresh);
  }

  /** Collects the settings of a {@link DnsDiscovery}; {@link #build()} validates them. */
  public static final class Builder {
    private final String name;
    private final boolean srv;
    private final int port;
    private InetSocketAddress resolver;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration minRefresh = Duration.ofSeconds(1);
    private Duration maxRefresh = Duration.ofSeconds(60);

    private Builder(String name, boolean srv, int port) {
      this.name = name;
      this.srv = srv;
      this.port = port;
    }

    /** The DNS server to ask; default the system's resolvers (resolv.conf). */
    public Builder resolver(InetSocketAddress address) {
      this.resolver = Objects.requireNonNull(address, "address");
      return this;
    }

    /** How long one query may take before the refresh counts as failed; default 2 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The shortest time between two queries, and the retry delay after a failure; default 1 s. */
    public Builder minRefresh(Duration min) {
      this.minRefresh = Objects.requireNonNull(min, "min");
      return this;
    }

    /** The longest time between two queries, however long the TTL; default 60 s. */
    public Builder maxRefresh(Duration max) {
      this.maxRefresh = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * Validates and returns the source.
     *
     * @throws MeshConfigException naming the setting that is wrong
     */
    public DnsDiscovery build() {
      String field = "dns discovery " + name;
      if (!srv && (port < 1 || port > 65535)) {
        throw new MeshConfigException(field + " port", port, "a port number in 1..65535");
      }
      Name parsed;
      try {
        parsed = Name.fromString(name == null ? "" : name, Name.root);
        Endpoint.of(parsed.toString(true), 1);
      } catch (TextParseException | MeshConfigException e) {
        throw new MeshConfigException(
            field + " name", name, "a DNS name such as _http._tcp.mathoid.example.org");
      }
      if (!positive(timeout) || !positive(minRefresh) || maxRefresh.compareTo(minRefresh) < 0) {
        throw new MeshConfigException(
            field + " timeout/minRefresh/maxRefresh",
            timeout + "/" + minRefresh + "/" + maxRefresh,
            "positive durations with minRefresh <= maxRefresh");
      }
      Resolver chosen = resolver == null ? new ExtendedResolver() : new SimpleResolver(resolver);
      chosen.setTimeout(timeout);
      return new DnsDiscovery(this, parsed, chosen);
    }

    private static boolean positive(Duration duration) {
      return !duration.isNegative() && !duration.isZero();
    }
  }
}
