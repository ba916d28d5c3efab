package dev.meshwork.xds.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.xds.internal.ClusterDecoder.ClusterSpec;
import dev.meshwork.xds.internal.EndpointDecoder.EndpointsSpec;
import dev.meshwork.xds.internal.ListenerDecoder.ListenerSpec;
import dev.meshwork.xds.internal.RouteDecoder.RouteConfigSpec;
import dev.meshwork.xds.internal.RouteDecoder.RouteSpec;
import dev.meshwork.xds.internal.RouteDecoder.VirtualHostSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the resources reachable from one Listener into one Meshwork service: the Listener's {@code
 * host} is the service, its routes are the service's routes, and each cluster a route names is a
 * subset of the service whose endpoints are that cluster's. Settings the core keeps per service
 * (balancer, breaker thresholds, outlier detection, TLS, connect timeout from the clusters; retries
 * and hash policy from the routes) must agree across the clusters and routes of the service, or the
 * update is refused; timeouts that differ become each route's own.
 */
final class ServiceAssembler {
  /** The label that puts an endpoint in the subset of a cluster. */
  static final String CLUSTER_LABEL_PREFIX = "xds.cluster/";

  /** The route that answers calls no route matches, as Envoy does (404). */
  static final String NO_ROUTE = "xds-no-route-matched";

  /** What the assembler reads: the accepted (or candidate) resources. */
  interface Resources {
    Lookup<ListenerSpec> listener(String name);

    Lookup<RouteConfigSpec> routes(String name);

    Lookup<ClusterSpec> cluster(String name);

    Lookup<EndpointsSpec> endpoints(String name);
  }

  /** A resource that is there, known not to exist, or not received yet. */
  record Lookup<T>(Optional<T> value, boolean missing) {
    static <T> Lookup<T> of(T value) {
      return new Lookup<>(Optional.of(value), false);
    }

    static <T> Lookup<T> doesNotExist() {
      return new Lookup<>(Optional.empty(), true);
    }

    static <T> Lookup<T> notYetReceived() {
      return new Lookup<>(Optional.empty(), false);
    }

    boolean waiting() {
      return value.isEmpty() && !missing;
    }
  }

  /**
   * A service ready to apply, or one still waiting for resources.
   *
   * @param config the service's configuration; empty while waiting or when its Listener does not
   *     exist
   * @param signature text equal for equal configurations, to skip applying what did not change
   * @param union the union of its clusters' endpoints, each labelled with its clusters
   * @param waitingFor resources not received yet, as {@code Type 'name'}
   * @param notes what the service lacks (a cluster that does not exist, ...), for the status
   */
  record Plan(
      String service,
      Optional<ServiceConfig> config,
      String signature,
      EndpointUnion union,
      List<String> waitingFor,
      List<String> notes,
      List<Unsupported> unsupported) {

    /** The union of its clusters' endpoints, each labelled with its clusters. */
    List<Endpoint> endpoints() {
      return union.endpoints();
    }
  }

  private ServiceAssembler() {}

  /** The service name a Listener name stands for: its host. */
  static String serviceOf(String listener) {
    int colon = listener.lastIndexOf(':');
    return colon > 0 && listener.indexOf(':') == colon ? listener.substring(0, colon) : listener;
  }

  /**
   * Assembles the service of {@code listenerName}; {@code previous} is the union its last plan
   * applied, reused when its clusters' endpoints are the same.
   */
  static Plan assemble(
      String listenerName,
      Resources resources,
      Function<String, DiscoverySource> discovery,
      CertificateProviders providers,
      EndpointUnion previous) {
    String service = serviceOf(listenerName);
    List<String> waiting = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Unsupported> unsupported = new ArrayList<>();
    Lookup<ListenerSpec> listener = resources.listener(listenerName);
    if (listener.value().isEmpty()) {
      if (listener.waiting()) {
        waiting.add("Listener '" + listenerName + "'");
      } else {
        notes.add("Listener '" + listenerName + "' does not exist");
      }
      return new Plan(
          service, Optional.empty(), "", EndpointUnion.EMPTY, waiting, notes, unsupported);
    }
    ListenerSpec spec = listener.value().get();
    unsupported.addAll(spec.unsupported());
    Optional<RouteConfigSpec> routeConfig = spec.inline();
    if (spec.rdsName().isPresent()) {
      Lookup<RouteConfigSpec> rds = resources.routes(spec.rdsName().get());
      if (rds.waiting()) {
        waiting.add("RouteConfiguration '" + spec.rdsName().get() + "'");
      } else if (rds.missing()) {
        notes.add(
            "RouteConfiguration '"
                + spec.rdsName().get()
                + "' does not exist: every call answers 404");
      }
      routeConfig = rds.value();
      rds.value().ifPresent(r -> unsupported.addAll(r.unsupported()));
    }
    List<RouteSpec> routes = List.of();
    if (routeConfig.isPresent()) {
      Optional<VirtualHostSpec> host =
          VirtualHosts.select(routeConfig.get().virtualHosts(), listenerName);
      if (host.isEmpty()) {
        notes.add(
            "no virtual host of RouteConfiguration '"
                + routeConfig.get().name()
                + "' serves "
                + listenerName
                + ": every call answers 404");
      } else {
        routes = host.get().routes();
      }
    }
    Set<String> clusterNames = new LinkedHashSet<>();
    routes.forEach(r -> clusterNames.addAll(r.clusters()));
    Map<String, ClusterSpec> clusters = new LinkedHashMap<>();
    Map<String, EndpointsSpec> endpoints = new LinkedHashMap<>();
    for (String name : clusterNames) {
      Lookup<ClusterSpec> cluster = resources.cluster(name);
      if (cluster.waiting()) {
        waiting.add("Cluster '" + name + "'");
        continue;
      }
      if (cluster.missing()) {
        notes.add("Cluster '" + name + "' does not exist: calls routed to it fail");
        continue;
      }
      ClusterSpec c = cluster.value().get();
      clusters.put(name, c);
      unsupported.addAll(c.unsupported());
      if (c.inline().isPresent()) {
        endpoints.put(name, c.inline().get());
        noteEmpty(c.inline().get(), "Cluster '" + name + "' load_assignment", name, notes);
        continue;
      }
      Lookup<EndpointsSpec> assignment = resources.endpoints(c.edsName().get());
      if (assignment.waiting()) {
        waiting.add("ClusterLoadAssignment '" + c.edsName().get() + "'");
      } else if (assignment.missing()) {
        notes.add(
            "ClusterLoadAssignment '"
                + c.edsName().get()
                + "' does not exist: cluster '"
                + name
                + "' has no endpoints");
      } else {
        endpoints.put(name, assignment.value().get());
        unsupported.addAll(assignment.value().get().unsupported());
        noteEmpty(
            assignment.value().get(),
            "ClusterLoadAssignment '" + c.edsName().get() + "'",
            name,
            notes);
      }
    }
    if (!waiting.isEmpty()) {
      return new Plan(
          service, Optional.empty(), "", EndpointUnion.EMPTY, waiting, notes, unsupported);
    }
    String at = "service '" + service + "' (Listener '" + listenerName + "')";
    ServiceConfig.Builder builder =
        ServiceConfig.builder(service).discovery(discovery.apply(service));
    builder.circuitBreaker(CircuitBreakerPolicy.disabled());
    Optional<HashDecoder.HashSpec> hash =
        agree(
            routes,
            RouteSpec::hash,
            h -> h.map(HashDecoder.HashSpec::description).orElse("none"),
            at,
            "hash_policy");
    ClusterSpec policies = agreeClusters(clusters, at);
    String hashText = hash.map(HashDecoder.HashSpec::description).orElse("none");
    if (policies != null) {
      builder
          .loadBalancer(balancer(policies.balancer(), hash.map(HashDecoder.HashSpec::policy)))
          .outlierDetection(policies.outlierDetection())
          .limits(policies.limits())
          .connectTimeout(policies.connectTimeout());
      if (policies.tls().isPresent()) {
        policies.tls().get().check(providers, at + " cluster '" + policies.name() + "'");
        builder
            .tls(TlsMode.MUTUAL)
            .peerIdentities(policies.tls().get().identities().toArray(String[]::new));
      } else {
        builder.tls(TlsMode.DISABLED);
      }
    } else {
      builder.loadBalancer(LoadBalancers.weightedRoundRobin()).tls(TlsMode.DISABLED);
    }
    // One timeout for every route is the service's; differing ones go on each route instead.
    boolean perRoute = routes.stream().map(RouteSpec::timeout).distinct().count() > 1;
    if (!perRoute && !routes.isEmpty()) {
      routes.get(0).timeout().ifPresent(builder::timeout);
    }
    Optional<RetryDecoder.RetrySpec> retry =
        agree(
            routes,
            RouteSpec::retry,
            r -> r.map(RetryDecoder.RetrySpec::signature).orElse("none"),
            at,
            "retry_policy");
    builder.retries(retry.map(RetryDecoder.RetrySpec::policy).orElse(RetryPolicy.disabled()));
    retry.flatMap(RetryDecoder.RetrySpec::perTryTimeout).ifPresent(builder::perTryTimeout);
    builder.routes(routeTable(clusterNames, routes, spec, perRoute));
    ServiceConfig config;
    try {
      config = builder.build();
    } catch (MeshConfigException e) {
      throw new XdsRejection(at, e.getMessage());
    }
    EndpointUnion union = EndpointUnion.of(endpoints, previous);
    notes.addAll(union.notes());
    return new Plan(
        service,
        Optional.of(config),
        config + " hash=" + hashText,
        union,
        List.of(),
        notes,
        unsupported);
  }

  /** An empty cluster is valid xDS (Envoy answers 503); the status says why its calls fail. */
  private static void noteEmpty(
      EndpointDecoder.EndpointsSpec spec, String what, String cluster, List<String> notes) {
    if (spec.endpoints().isEmpty()) {
      notes.add(what + " holds no usable endpoint: cluster '" + cluster + "' has no endpoints");
    }
  }

  private static RouteTable routeTable(
      Set<String> clusters, List<RouteSpec> routes, ListenerSpec listener, boolean perRoute) {
    RouteTable.Builder table = RouteTable.builder();
    for (String cluster : clusters) {
      table.subset(cluster, CLUSTER_LABEL_PREFIX + cluster, "true");
    }
    for (RouteSpec spec : routes) {
      Route.Builder route = Route.builder(spec.name());
      spec.matchAndAction().accept(route);
      Optional<Fault> fault = listener.fault();
      if (listener.faultFilter().isPresent()
          && spec.faults().containsKey(listener.faultFilter().get())) {
        fault = spec.faults().get(listener.faultFilter().get());
      }
      fault.ifPresent(f -> route.fault(b -> copy(f, b)));
      if (perRoute) {
        spec.timeout().ifPresent(route::timeout);
      }
      table.route(route.build());
    }
    table.route(Route.builder(NO_ROUTE).fault(f -> f.abortStatus(404, 100)).build());
    return table.build();
  }

  private static void copy(Fault fault, Fault.Builder builder) {
    fault.delay().ifPresent(d -> builder.delay(d, fault.delayPercent()));
    if (fault.abortConnection()) {
      builder.abortConnection(fault.abortPercent());
    } else if (fault.abortStatus() != 0) {
      builder.abortStatus(fault.abortStatus(), fault.abortPercent());
    }
    fault.triggerHeader().ifPresent(builder::onlyWithHeader);
  }

  private static <T> T agree(
      List<RouteSpec> routes,
      Function<RouteSpec, T> value,
      Function<T, String> text,
      String at,
      String field) {
    T first = null;
    String firstRoute = null;
    for (RouteSpec route : routes) {
      T mine = value.apply(route);
      if (first == null) {
        first = mine;
        firstRoute = route.name();
      } else if (!text.apply(first).equals(text.apply(mine))) {
        throw new XdsRejection(
            at,
            "routes '"
                + firstRoute
                + "' and '"
                + route.name()
                + "' differ in "
                + field
                + " ("
                + text.apply(first)
                + " vs "
                + text.apply(mine)
                + "); Meshwork keeps one "
                + field
                + " per service");
      }
    }
    if (first == null) {
      @SuppressWarnings("unchecked")
      T none = (T) Optional.empty();
      return none;
    }
    return first;
  }

  private static ClusterSpec agreeClusters(Map<String, ClusterSpec> clusters, String at) {
    ClusterSpec first = null;
    for (ClusterSpec cluster : clusters.values()) {
      if (first == null) {
        first = cluster;
      } else if (!first.samePolicies(cluster) && !first.policies().equals(cluster.policies())) {
        throw new XdsRejection(
            at,
            "clusters '"
                + first.name()
                + "' and '"
                + cluster.name()
                + "' differ ("
                + first.policies()
                + " vs "
                + cluster.policies()
                + "); Meshwork keeps one balancer, breaker, outlier detection and TLS setting per service");
      }
    }
    return first;
  }

  private static LoadBalancerFactory balancer(
      ClusterDecoder.Balancer balancer, Optional<HashPolicy> hash) {
    HashPolicy key = hash.orElseGet(() -> HashPolicy.of(request -> null));
    try {
      return switch (balancer.kind()) {
        case "least_request" -> LoadBalancers.leastRequest();
        case "random" -> LoadBalancers.random();
        case "ring_hash" ->
            LoadBalancers.ringHash(key, (int) Math.min(balancer.size(), Integer.MAX_VALUE));
        case "maglev" ->
            LoadBalancers.maglev(key, (int) Math.min(balancer.size(), Integer.MAX_VALUE));
        default -> LoadBalancers.weightedRoundRobin();
      };
    } catch (MeshConfigException e) {
      throw new XdsRejection("lb_policy " + balancer, e.getMessage());
    }
  }
}
