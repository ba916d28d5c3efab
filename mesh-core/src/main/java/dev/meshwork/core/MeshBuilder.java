package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.internal.ServiceChecks;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Collects a mesh's configuration; {@link #build()} validates it and starts discovery. Get one from
 * {@link Mesh#builder()}. With mesh-tls and mesh-discovery:
 *
 * <pre>{@code
 * BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build();
 * Mesh mesh = Mesh.builder()
 *     .security(MeshTls.builder().source(source).build())
 *     .localZone("eqiad-a")
 *     .service("mathoid", s -> s.discovery(DnsDiscovery.srv("_http._tcp.mathoid.svc").build()))
 *     .decisions(256)
 *     .build();
 * }</pre>
 *
 * <p>Nothing here is {@code null}: a setting left alone has its documented default, a policy that
 * can be off has a {@code disabled()} value, and what the mesh may not have is read as an {@link
 * java.util.Optional} ({@link Mesh#security()}). Setters reject {@code null}. One {@link #clock
 * clock} reaches everything the mesh runs, peer security included.
 */
public final class MeshBuilder {
  private final List<ServiceConfig.Builder> serviceBuilders = new ArrayList<>();
  private final List<ServiceConfig> serviceConfigs = new ArrayList<>();
  MeshClock clock = MeshClock.system();
  PeerSecurity security;
  Duration awaitDiscovery = Duration.ZERO;
  int decisions;
  Long randomSeed;

  /** {@code null} until set: then REFUSE_MESH_LIKE with security, PASS_THROUGH without. */
  UnknownHostPolicy unknownHosts;

  List<String> meshDomains = List.of();

  Telemetry telemetry = Telemetry.disabled();

  /** {@code null} until set; set means validated non-blank in build(). */
  String localZone;

  MeshBuilder() {}

  /** Traces and metrics (see {@link Telemetry}); default {@link Telemetry#disabled()}. */
  public MeshBuilder telemetry(Telemetry telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    return this;
  }

  /**
   * The zone this process runs in, as endpoints name theirs ({@link Endpoint#zone()}, for example a
   * Kubernetes topology zone such as {@code eqiad-a}). Calls then prefer endpoints in this zone
   * while enough of them are healthy; see {@link dev.meshwork.core.policy.ZoneAwareness}. Default
   * none: zones are ignored.
   */
  public MeshBuilder localZone(String zone) {
    this.localZone = Objects.requireNonNull(zone, "zone");
    return this;
  }

  /**
   * Makes {@link #build()} wait, at most {@code bound}, until every service's discovery has
   * answered once, and fail with {@link MeshStartupException} (naming the services still waiting
   * and their sources' errors) if some have not. Default zero: {@code build()} returns at once, and
   * calls to a service whose discovery has not answered yet fail with {@link
   * MeshException.NoHealthyEndpoints} saying so. To wait and then start anyway, use {@link
   * Mesh#awaitDiscovery(Duration)} instead.
   */
  public MeshBuilder awaitDiscovery(Duration bound) {
    Objects.requireNonNull(bound, "bound");
    if (bound.isNegative()) {
      throw new MeshConfigException(
          "awaitDiscovery", bound, "zero (do not wait) or a positive duration");
    }
    this.awaitDiscovery = bound;
    return this;
  }

  /**
   * The workload identity and peer verification for mutual TLS, for example {@code
   * MeshTls.builder().source(source).build()} from mesh-tls. With it, services use mutual TLS
   * unless they opt out. The mesh owns it: {@link Mesh#close()} closes it when it is {@link
   * AutoCloseable}. Default none: every service is plaintext.
   */
  public MeshBuilder security(PeerSecurity security) {
    this.security = Objects.requireNonNull(security, "security");
    return this;
  }

  /** The most recent decisions a mesh may keep. */
  public static final int MAX_DECISIONS = 65_536;

  /**
   * How many recent decisions (retries, ejections, rejections, routes; picks get a quarter as many
   * of their own) the mesh keeps for {@link Mesh#snapshot()} and the admin endpoint's {@code
   * /decisions}, 0 to {@value #MAX_DECISIONS}. Default 0: none kept, and calls build no decision
   * text for them.
   */
  public MeshBuilder decisions(int count) {
    if (count < 0 || count > MAX_DECISIONS) {
      throw new MeshConfigException("decisions", count, "0 (keep none) to " + MAX_DECISIONS);
    }
    this.decisions = count;
    return this;
  }

  /**
   * What calls to a host that is not a configured service do. {@link
   * UnknownHostPolicy#REFUSE_MESH_LIKE} refuses single-label hosts (a mistyped {@code biling}) and
   * hosts under the {@linkplain #meshDomains mesh domains} with {@link UnknownMeshHostException}
   * before anything is sent; other hosts, {@code localhost} and IP literals pass through, outside
   * the mesh. Default: {@code REFUSE_MESH_LIKE} when the mesh has {@linkplain #security an
   * identity} (a typo must not send a request in plaintext to whatever DNS answers), {@code
   * PASS_THROUGH} otherwise.
   */
  public MeshBuilder unknownHosts(UnknownHostPolicy policy) {
    this.unknownHosts = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * DNS domains whose hosts belong to the mesh, such as {@code svc.cluster.local}: with {@link
   * UnknownHostPolicy#REFUSE_MESH_LIKE}, a host equal to or under one of them that is not a
   * configured service is refused. Default none (only single-label hosts are refused). Replaces
   * earlier domains.
   */
  public MeshBuilder meshDomains(String... domains) {
    List<String> checked = new ArrayList<>();
    for (String domain : domains) {
      String name = domain == null ? null : domain.startsWith(".") ? domain.substring(1) : domain;
      if (name == null || !ServiceName.isValid(name)) {
        throw new MeshConfigException(
            "meshDomains",
            domain,
            "a lowercase DNS domain such as svc.cluster.local (dot-separated labels of letters, digits and '-')");
      }
      checked.add(name);
    }
    this.meshDomains = List.copyOf(checked);
    return this;
  }

  /** Adds a service configured by {@code configure}. */
  public MeshBuilder service(String name, Consumer<ServiceConfig.Builder> configure) {
    ServiceConfig.Builder builder = ServiceConfig.builder(name);
    configure.accept(builder);
    serviceBuilders.add(builder);
    return this;
  }

  /** Adds an already built service configuration. */
  public MeshBuilder service(ServiceConfig config) {
    serviceConfigs.add(Objects.requireNonNull(config, "config"));
    return this;
  }

  /**
   * The clock every time-dependent part of the mesh reads: breakers, ejection, retry budgets,
   * back-off, deadlines, slow start, discovery (through its context) and the certificate checks of
   * the {@linkplain #security peer security}. Default {@link MeshClock#system()}. A certificate
   * source built before the mesh keeps the clock it was built with.
   */
  public MeshBuilder clock(MeshClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Seeds the draws the mesh makes for traffic splits, mirroring and fault injection, so a test or
   * simulation sees the same sequence every run. By default each thread draws from {@link
   * ThreadLocalRandom}, which is faster under contention; balancers have their own seeded variants
   * in {@code LoadBalancers}.
   */
  public MeshBuilder randomSeed(long seed) {
    this.randomSeed = seed;
    return this;
  }

  /**
   * Validates every service and starts the mesh: discovery sources begin publishing.
   *
   * @throws MeshConfigException naming the service and field that are wrong
   */
  public Mesh build() {
    if (localZone != null && (localZone.isBlank() || !localZone.strip().equals(localZone))) {
      throw new MeshConfigException(
          "localZone", localZone, "a zone name without surrounding spaces, such as eqiad-a");
    }
    List<ServiceConfig> all = new ArrayList<>(serviceConfigs);
    for (ServiceConfig.Builder builder : serviceBuilders) {
      all.add(builder.build());
    }
    Map<ServiceName, ServiceConfig> unique = ServiceChecks.unique(all);
    Map<ServiceName, ClientTls> tls = new LinkedHashMap<>();
    for (ServiceConfig config : unique.values()) {
      if (ServiceChecks.tlsMode(config, security) == TlsMode.MUTUAL) {
        tls.put(config.name(), security.clientTls(config.name(), config.peerIdentities(), clock));
      }
    }
    return new Mesh(this, List.copyOf(unique.values()), tls);
  }

  /**
   * What a mesh transport does with a call whose URL host is not a configured service; set with
   * {@link MeshBuilder#unknownHosts(UnknownHostPolicy)}.
   *
   * <p>{@code localhost} and IP literals always pass through (tests and local sidecars use them);
   * only hosts that look like a mistyped service are ever refused.
   */
  public enum UnknownHostPolicy {
    /**
     * Every unknown host is called directly, outside the mesh: its own DNS, no mesh TLS, no
     * retries.
     */
    PASS_THROUGH,
    /**
     * Single-label hosts (such as {@code biling}) and hosts under one of the {@linkplain
     * MeshBuilder#meshDomains mesh domains} are refused with {@link UnknownMeshHostException}
     * before anything is sent; other hosts (such as {@code api.example.com}) pass through.
     */
    REFUSE_MESH_LIKE
  }
}
