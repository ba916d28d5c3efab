package dev.meshwork.core.internal.routing;

import dev.meshwork.core.internal.balancer.ZoneRouter;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.routing.RouteTable.Subset;
import dev.meshwork.core.spi.LoadBalancer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The endpoints one destination may use: the whole service, or one subset of it. Each group has its
 * own balancer, so hash tables and weighted schedules are built per subset and a pick never walks
 * endpoints of another subset. Members change with discovery, candidates with ejections and health;
 * both are rebuilt under the service's monitor and read lock-free by calls.
 */
public final class EndpointGroup {
  private final Subset subset;
  private final LoadBalancer balancer;
  private volatile List<EndpointState> members = List.of();
  private volatile List<EndpointState> candidates = List.of();
  private volatile boolean panic;
  private volatile boolean assigned;

  /**
   * The zone split of the current candidates, or {@code null} without zone awareness or in panic.
   */
  private volatile ZoneRouter.Partition zonePartition;

  /**
   * @param subset the subset, or {@code null} for the whole service
   */
  public EndpointGroup(Subset subset, LoadBalancer balancer) {
    this.subset = subset;
    this.balancer = balancer;
  }

  /** The subset, or {@code null} when the group is the whole service. */
  public Subset subset() {
    return subset;
  }

  /** The subset's name, or {@code null} for the whole service. */
  public String name() {
    return subset == null ? null : subset.name();
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  /** Every endpoint of the group, healthy or not. */
  public List<EndpointState> members() {
    return members;
  }

  /** The members calls may use now: not ejected and passing health checks, or all in panic mode. */
  public List<EndpointState> candidates() {
    return candidates;
  }

  /** Whether too few members are healthy, so balancing ignores ejections. */
  public boolean panic() {
    return panic;
  }

  /**
   * Takes the group's share of the service's new endpoint list and lets the balancer build its
   * tables for it. Called on an update thread before any call can see the new members.
   */
  void members(List<EndpointState> all) {
    List<EndpointState> next;
    if (subset == null) {
      next = all;
    } else {
      List<EndpointState> matching = new ArrayList<>();
      for (EndpointState state : all) {
        if (subset.contains(state.endpoint())) {
          matching.add(state);
        }
      }
      next = List.copyOf(matching);
    }
    balancer.update(next);
    members = next;
    assigned = true;
  }

  /**
   * The zone split of {@link #candidates()} as last prepared, or {@code null}; check its list
   * identity before use.
   */
  public ZoneRouter.Partition zonePartition() {
    return zonePartition;
  }

  /**
   * Keeps the zone split of the current candidates, built on the thread that refreshed them, and
   * has the balancer build the narrowed lists' tables there too, before any call can pick from
   * them.
   */
  public void zonePartition(ZoneRouter.Partition partition) {
    balancer.prepareNarrowed(partition == null ? List.of() : partition.narrowed());
    this.zonePartition = partition;
  }

  /** Whether the group has been given members yet. */
  boolean assigned() {
    return assigned;
  }

  /**
   * Rebuilds the candidates from the members' ejection and health state.
   *
   * @return true when the group has just entered panic mode
   */
  boolean refresh(double panicThresholdPercent) {
    List<EndpointState> all = members;
    // Counted first: usually every member is usable, and then no list is built at all.
    int usable = 0;
    for (EndpointState state : all) {
      if (usable(state)) {
        usable++;
      }
    }
    boolean nowPanic = !all.isEmpty() && usable * 100.0 < all.size() * panicThresholdPercent;
    boolean entered = nowPanic && !panic;
    panic = nowPanic;
    // The unfiltered list keeps its identity, so balancers use the tables they built for it.
    candidates = nowPanic || usable == all.size() ? all : usableOf(all, usable);
    return entered;
  }

  private static boolean usable(EndpointState state) {
    return !state.stats().outlier().ejected() && state.stats().health().healthy();
  }

  private static List<EndpointState> usableOf(List<EndpointState> all, int count) {
    EndpointState[] usable = new EndpointState[count];
    int at = 0;
    for (EndpointState state : all) {
      // Bounded by count: a member ejected or restored since the count is judged as it was then or
      // now, either is fine.
      if (at < count && usable(state)) {
        usable[at++] = state;
      }
    }
    return List.of(at == count ? usable : Arrays.copyOf(usable, at));
  }
}
