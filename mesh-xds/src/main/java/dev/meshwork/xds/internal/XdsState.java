package dev.meshwork.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.xds.internal.ClusterDecoder.ClusterSpec;
import dev.meshwork.xds.internal.EndpointDecoder.EndpointsSpec;
import dev.meshwork.xds.internal.ListenerDecoder.ListenerSpec;
import dev.meshwork.xds.internal.RouteDecoder.RouteConfigSpec;
import dev.meshwork.xds.internal.ServiceAssembler.Lookup;
import dev.meshwork.xds.internal.ServiceAssembler.Plan;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted resources and what they make: each response is decoded, assembled with the rest into
 * the services of the target Listeners, and handed to the {@link ConfigSink} as a whole; any
 * failure on the way NACKs the response and keeps everything as it was. Runs on the client's serial
 * executor.
 */
public final class XdsState implements AdsClient.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(XdsState.class);

  private final String source;
  private final Set<String> targets;
  private final java.util.concurrent.CompletableFuture<Void> firstApplied =
      new java.util.concurrent.CompletableFuture<>();
  private final ConfigSink sink;
  private final boolean ignoreDeletion;
  private final CertificateProviders providers;
  private final XdsStatus status;
  private final Map<ResourceType, Map<String, Object>> accepted = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Set<String>> missing = new EnumMap<>(ResourceType.class);
  private final Map<String, XdsEndpointSource> sources = new ConcurrentHashMap<>();
  private final Map<String, Plan> applied = new LinkedHashMap<>();
  private final Set<String> reported = new HashSet<>();
  private List<String> appliedWarnings = List.of();
  private AdsClient client;
  private boolean everApplied;

  public XdsState(
      String source,
      Set<String> targets,
      ConfigSink sink,
      boolean ignoreDeletion,
      CertificateProviders providers,
      MeshClock clock) {
    this.source = source;
    this.targets = Set.copyOf(targets);
    this.sink = sink;
    this.ignoreDeletion = ignoreDeletion;
    this.providers = providers;
    this.status = new XdsStatus(clock);
    for (ResourceType type : ResourceType.values()) {
      accepted.put(type, new HashMap<>());
      missing.put(type, new HashSet<>());
    }
  }

  /** Subscribes to the target Listeners through {@code client}. Call on its serial executor. */
  public void start(AdsClient client) {
    this.client = client;
    client.subscribe(ResourceType.LISTENER, new TreeSet<>(targets));
  }

  /** Completes when the first configuration has been applied. */
  public java.util.concurrent.CompletableFuture<Void> firstApplied() {
    return firstApplied;
  }

  public XdsStatus status() {
    return status;
  }

  /** The endpoint source of {@code service}, created on first use and kept for good. */
  public XdsEndpointSource source(String service) {
    return sources.computeIfAbsent(service, XdsEndpointSource::new);
  }

  @Override
  public Optional<String> onResponse(ResourceType type, String version, List<Any> resources) {
    Map<String, Object> decoded = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      try {
        Object spec = decode(type, resources.get(i));
        String name = name(spec);
        if (decoded.put(name, spec) != null) {
          errors.add(type.kind() + " '" + name + "' appears twice in the response");
        }
      } catch (XdsRejection e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      return nack(type, version, String.join("; ", errors));
    }
    Map<String, Object> candidate = new HashMap<>(accepted.get(type));
    Set<String> candidateMissing = new HashSet<>(missing.get(type));
    Set<String> subscribed = subscribed(type);
    for (Map.Entry<String, Object> entry : decoded.entrySet()) {
      if (subscribed.contains(entry.getKey())) {
        candidate.put(entry.getKey(), entry.getValue());
        candidateMissing.remove(entry.getKey());
        client.received(type, entry.getKey());
      }
    }
    if (type.fullStateInEachResponse()) {
      for (String name : subscribed) {
        if (!decoded.containsKey(name) && candidate.containsKey(name)) {
          if (ignoreDeletion) {
            LOG.warn(
                "xDS: the control plane deleted {} '{}'; kept (ignore_resource_deletion)",
                type.kind(),
                name);
          } else {
            candidate.remove(name);
            candidateMissing.add(name);
          }
        }
      }
    }
    Map<String, Object> previous = accepted.put(type, candidate);
    Set<String> previousMissing = missing.put(type, candidateMissing);
    Map<String, String> versions = status.versions();
    versions.put(type.kind(), version);
    Optional<String> failure = assembleAndApply(versions.toString());
    if (failure.isPresent()) {
      accepted.put(type, previous);
      missing.put(type, previousMissing);
      return nack(type, version, failure.get());
    }
    status.accepted(type, version);
    return Optional.empty();
  }

  @Override
  public void onDoesNotExist(ResourceType type, String name) {
    LOG.warn(
        "xDS: {} '{}' does not exist (no answer within the does-not-exist timeout)",
        type.kind(),
        name);
    missing.get(type).add(name);
    assembleAndApply(status.versions() + " without " + type.kind() + " '" + name + "'")
        .ifPresent(
            error -> LOG.error("xDS: after {} '{}' went missing: {}", type.kind(), name, error));
  }

  @Override
  public void onStream(boolean connected, String detail) {
    status.stream(connected, detail);
  }

  private Optional<String> nack(ResourceType type, String version, String error) {
    status.rejected(type, version, error);
    sink.rejected(source, type.kind() + " " + version, error);
    return Optional.of(error);
  }

  /** Assembles every target; applies and publishes when it all holds, else names why not. */
  private Optional<String> assembleAndApply(String cause) {
    Map<String, Plan> plans = new LinkedHashMap<>();
    List<Unsupported> unsupported = new ArrayList<>();
    boolean waiting = false;
    try {
      for (String target : new TreeSet<>(targets)) {
        Plan last = applied.get(ServiceAssembler.serviceOf(target));
        Plan plan =
            ServiceAssembler.assemble(
                target,
                resources(),
                this::source,
                providers,
                last == null ? EndpointUnion.EMPTY : last.union());
        unsupported.addAll(plan.unsupported());
        if (!plan.waitingFor().isEmpty()) {
          waiting = true;
          Plan held = applied.get(plan.service());
          if (held != null) {
            plans.put(plan.service(), held);
          }
        } else if (plan.config().isPresent()) {
          plans.put(plan.service(), plan);
        }
        status.plan(target, plan);
      }
    } catch (XdsRejection e) {
      return Optional.of(e.getMessage());
    }
    if (!everApplied && waiting) {
      updateSubscriptions();
      report(unsupported);
      return Optional.empty();
    }
    List<String> warnings = new ArrayList<>();
    new LinkedHashSet<>(unsupported).forEach(u -> warnings.add(u.toString()));
    // A changed unsupported field is applied too, so the mesh's status never shows stale warnings.
    boolean changed = !plans.keySet().equals(applied.keySet()) || !warnings.equals(appliedWarnings);
    for (Plan plan : plans.values()) {
      Plan before = applied.get(plan.service());
      changed |= before == null || !before.signature().equals(plan.signature());
    }
    if (changed) {
      for (Plan plan : plans.values()) {
        Plan before = applied.get(plan.service());
        List<dev.meshwork.core.Endpoint> both = plan.endpoints();
        // The same union (a reused one) has no endpoint the old routes need that it lacks.
        if (before != null && before.endpoints() != plan.endpoints()) {
          List<dev.meshwork.core.Endpoint> kept = new ArrayList<>(plan.endpoints());
          Set<String> addresses = new HashSet<>();
          plan.endpoints().forEach(e -> addresses.add(e.address()));
          before.endpoints().stream()
              .filter(e -> !addresses.contains(e.address()))
              .forEach(kept::add);
          both = kept;
        }
        // The old endpoints stay until the configuration that no longer routes to them applies.
        source(plan.service()).publish(both);
      }
      List<ServiceConfig> configs = new ArrayList<>();
      plans.values().forEach(p -> configs.add(p.config().get()));
      try {
        sink.apply(configs, source, cause, warnings);
      } catch (MeshConfigException e) {
        return Optional.of("the mesh refused the configuration: " + e.getMessage());
      }
      appliedWarnings = warnings;
      everApplied = true;
      firstApplied.complete(null);
    }
    for (Plan plan : plans.values()) {
      source(plan.service()).publish(plan.endpoints());
    }
    applied.clear();
    applied.putAll(plans);
    updateSubscriptions();
    report(unsupported);
    return Optional.empty();
  }

  private void report(List<Unsupported> unsupported) {
    for (Unsupported u : unsupported) {
      if (reported.add(u.toString())) {
        LOG.warn("xDS: unsupported field of an accepted resource: {}", u);
      }
    }
    status.unsupported(new ArrayList<>(new LinkedHashSet<>(unsupported)));
  }

  /** Subscribes to what the target Listeners reach now, and forgets what they no longer reach. */
  private void updateSubscriptions() {
    Set<String> routes = new TreeSet<>();
    Set<String> clusters = new TreeSet<>();
    for (String target : targets) {
      ListenerSpec listener = (ListenerSpec) accepted.get(ResourceType.LISTENER).get(target);
      if (listener == null) {
        continue;
      }
      listener.rdsName().ifPresent(routes::add);
      Optional<RouteConfigSpec> config =
          listener
              .inline()
              .or(
                  () ->
                      listener
                          .rdsName()
                          .map(n -> (RouteConfigSpec) accepted.get(ResourceType.ROUTE).get(n)));
      config
          .flatMap(c -> VirtualHosts.select(c.virtualHosts(), target))
          .ifPresent(host -> host.routes().forEach(r -> clusters.addAll(r.clusters())));
    }
    Set<String> assignments = new TreeSet<>();
    for (String name : clusters) {
      ClusterSpec cluster = (ClusterSpec) accepted.get(ResourceType.CLUSTER).get(name);
      if (cluster != null) {
        cluster.edsName().ifPresent(assignments::add);
      }
    }
    subscribe(ResourceType.ROUTE, routes);
    subscribe(ResourceType.CLUSTER, clusters);
    subscribe(ResourceType.ENDPOINT, assignments);
  }

  private void subscribe(ResourceType type, Set<String> names) {
    accepted.get(type).keySet().retainAll(names);
    missing.get(type).retainAll(names);
    client.subscribe(type, names);
  }

  private Set<String> subscribed(ResourceType type) {
    if (type == ResourceType.LISTENER) {
      return targets;
    }
    // Names not subscribed yet are read too: a response may answer a subscription in flight.
    Set<String> names = new HashSet<>(accepted.get(type).keySet());
    names.addAll(client.subscription(type));
    return names;
  }

  private ServiceAssembler.Resources resources() {
    return new ServiceAssembler.Resources() {
      @Override
      public Lookup<ListenerSpec> listener(String name) {
        return lookup(ResourceType.LISTENER, name);
      }

      @Override
      public Lookup<RouteConfigSpec> routes(String name) {
        return lookup(ResourceType.ROUTE, name);
      }

      @Override
      public Lookup<ClusterSpec> cluster(String name) {
        return lookup(ResourceType.CLUSTER, name);
      }

      @Override
      public Lookup<EndpointsSpec> endpoints(String name) {
        return lookup(ResourceType.ENDPOINT, name);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private <T> Lookup<T> lookup(ResourceType type, String name) {
    Object value = accepted.get(type).get(name);
    if (value != null) {
      return Lookup.of((T) value);
    }
    return missing.get(type).contains(name) ? Lookup.doesNotExist() : Lookup.notYetReceived();
  }

  /**
   * Decodes one resource of a {@code type} response into its spec.
   *
   * @throws XdsRejection naming the resource and the field that cannot be honoured
   */
  public static Object decode(ResourceType type, Any any) {
    if (!any.getTypeUrl().equals(type.typeUrl())) {
      throw new XdsRejection(
          "resource of type " + any.getTypeUrl(), "in a " + type.kind() + " response");
    }
    return switch (type) {
      case LISTENER -> ListenerDecoder.decode(unpack(any, Listener.class));
      case ROUTE -> {
        RouteConfiguration config = unpack(any, RouteConfiguration.class);
        yield RouteDecoder.decode(config, "RouteConfiguration '" + config.getName() + "'");
      }
      case CLUSTER -> ClusterDecoder.decode(unpack(any, Cluster.class));
      case ENDPOINT -> {
        ClusterLoadAssignment assignment = unpack(any, ClusterLoadAssignment.class);
        yield EndpointDecoder.decode(
            assignment, "ClusterLoadAssignment '" + assignment.getClusterName() + "'");
      }
    };
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejection(type.getSimpleName(), "does not decode: " + e.getMessage());
    }
  }

  private static String name(Object spec) {
    if (spec instanceof ListenerSpec l) {
      return l.name();
    } else if (spec instanceof RouteConfigSpec r) {
      return r.name();
    } else if (spec instanceof ClusterSpec c) {
      return c.name();
    }
    return ((EndpointsSpec) spec).name();
  }
}
