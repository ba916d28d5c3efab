package dev.meshwork.core.internal;

import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.internal.endpoint.OutlierState;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.internal.telemetry.DecisionLog;
import dev.meshwork.core.routing.RouteTable.Subset;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Takes a {@link MeshSnapshot}: reads each part of the mesh's live state once and copies it. */
public final class MeshSnapshots {
  private MeshSnapshots() {}

  /**
   * @param security the mesh's peer security, or {@code null}
   * @param decisions the mesh's decision log, or {@code null} when it keeps none
   */
  public static MeshSnapshot take(
      MeshClock clock,
      Collection<ServiceGeneration> generations,
      ConfigStatus status,
      PeerSecurity security,
      String localZone,
      UnknownHosts unknownHosts,
      boolean telemetry,
      DecisionLog decisions) {
    Instant now = clock.now();
    long nowNanos = clock.nanoTime();
    List<ServiceGeneration> sorted = new ArrayList<>(generations);
    sorted.sort(Comparator.comparing(ServiceGeneration::service));
    List<MeshSnapshot.Service> services = new ArrayList<>();
    for (ServiceGeneration generation : sorted) {
      services.add(service(generation, nowNanos));
    }
    return new MeshSnapshot(
        now,
        Optional.ofNullable(security).map(PeerSecurity::localIdentity),
        Optional.ofNullable(security).map(PeerSecurity::toString),
        localZone,
        unknownHosts.policy(),
        unknownHosts.chosen(),
        unknownHosts.domains(),
        telemetry,
        decisions == null ? 0 : decisions.capacity(),
        decisions == null ? 0 : decisions.recorded(),
        decisions == null ? List.of() : decisions.newestFirst(),
        services,
        status);
  }

  /** The state of each endpoint of {@code runtime}, in discovery's order. */
  public static List<EndpointStatus> endpoints(List<EndpointState> states, long nowNanos) {
    List<EndpointStatus> statuses = new ArrayList<>(states.size());
    for (EndpointState state : states) {
      EndpointStats stats = state.stats();
      OutlierState outlier = stats.outlier();
      boolean ejected = outlier.ejected();
      // The volatile read of ejected() above makes the end time written before it visible.
      Duration remaining =
          ejected
              ? Duration.ofNanos(Math.max(0, outlier.ejectedUntilNanos() - nowNanos))
              : Duration.ZERO;
      statuses.add(
          new EndpointStatus(
              state.endpoint(),
              ejected,
              outlier.ejections(),
              stats.health().healthy(),
              stats.activeRequests(),
              stats.successes(),
              stats.failures(),
              remaining,
              Duration.ofNanos(Math.round(stats.latencyEstimateNanos(nowNanos)))));
    }
    return List.copyOf(statuses);
  }

  private static MeshSnapshot.Service service(ServiceGeneration generation, long nowNanos) {
    ServiceRuntime runtime = generation.runtime();
    EndpointSet set = runtime.endpointSet();
    Routing routing = generation.routing();
    ClientTls tls = generation.clientTls();
    Set<String> peers =
        new TreeSet<>(tls == null ? generation.config().peerIdentities() : tls.expectedPeers());
    List<MeshSnapshot.SubsetMembers> subsets = new ArrayList<>();
    for (Subset subset : routing.table().subsets().values()) {
      EndpointGroup group = routing.subset(subset.name());
      subsets.add(
          new MeshSnapshot.SubsetMembers(
              subset.name(),
              group.members().stream().map(EndpointState::endpoint).toList(),
              group.candidates().size(),
              group.panic()));
    }
    return new MeshSnapshot.Service(
        generation.service(),
        generation.config(),
        tls != null,
        peers,
        generation.zones() != null,
        generation.breaker() == null ? "DISABLED" : generation.breaker().state(),
        routing.all().panic(),
        set.snapshot() != null,
        set.version(),
        Optional.ofNullable(set.updatedAt()),
        runtime.health(),
        endpoints(set.states(), nowNanos),
        routing.table(),
        subsets,
        tls == null ? Optional.empty() : tls.certificate());
  }
}
