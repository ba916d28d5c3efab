package dev.meshwork.core.internal.routing;

import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.Route.Mirror;
import dev.meshwork.core.routing.Route.SubsetOverride;
import dev.meshwork.core.routing.Route.WeightedSubset;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.routing.RouteTable.Subset;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A service's route table compiled against its endpoint groups: what calls read to route. A routing
 * is replaced whole when the table changes, so a call sees one table from start to end. The
 * whole-service group outlives tables (it holds the service's balancer); a subset group is kept
 * across a table change when the subset's labels stay the same, so its balancer's tables and state
 * carry over.
 */
public final class Routing {
  private final RouteTable table;
  private final CompiledRoute[] routes;
  private final EndpointGroup all;
  private final Map<String, EndpointGroup> subsets;

  private Routing(
      RouteTable table,
      CompiledRoute[] routes,
      EndpointGroup all,
      Map<String, EndpointGroup> subsets) {
    this.table = table;
    this.routes = routes;
    this.all = all;
    this.subsets = subsets;
  }

  /**
   * Compiles {@code table}. Groups of {@code previous} are reused where the subset is unchanged;
   * new groups get a balancer from {@code balancers} and must be given members before use.
   *
   * @param previous the routing being replaced, or {@code null} for a service's first
   * @param all the whole-service group, used when {@code previous} is {@code null}
   */
  public static Routing compile(
      RouteTable table, Routing previous, EndpointGroup all, Supplier<LoadBalancer> balancers) {
    EndpointGroup whole = previous != null ? previous.all : all;
    Map<String, EndpointGroup> groups = new LinkedHashMap<>();
    for (Subset subset : table.subsets().values()) {
      EndpointGroup kept = previous == null ? null : previous.subsets.get(subset.name());
      groups.put(
          subset.name(),
          kept != null && kept.subset().equals(subset)
              ? kept
              : new EndpointGroup(subset, balancers.get()));
    }
    CompiledRoute[] compiled = new CompiledRoute[table.routes().size()];
    for (int i = 0; i < compiled.length; i++) {
      Route route = table.routes().get(i);
      List<EndpointGroup> split = new ArrayList<>();
      for (WeightedSubset destination : route.split()) {
        split.add(groups.get(destination.subset()));
      }
      List<EndpointGroup> overrides = new ArrayList<>();
      for (SubsetOverride override : route.overrides()) {
        overrides.add(groups.get(override.subset()));
      }
      EndpointGroup mirror = route.mirror().map(m -> groups.get(m.subset())).orElse(null);
      compiled[i] =
          new CompiledRoute(route, whole, split, overrides, mirror, mirrorPermits(route, previous));
    }
    return new Routing(table, compiled, whole, Map.copyOf(groups));
  }

  /**
   * The route's bound on mirror copies in flight: the previous table's, when it had a route of that
   * name with the same bound, so a live swap (a canary's next step) does not reset the count while
   * copies it started are still running.
   */
  private static Semaphore mirrorPermits(Route route, Routing previous) {
    if (route.mirror().isEmpty()) {
      return null;
    }
    if (previous != null) {
      for (CompiledRoute old : previous.routes) {
        Mirror oldMirror = old.route().mirror().orElse(null);
        if (old.route().name().equals(route.name())
            && oldMirror != null
            && oldMirror.maxInFlight() == route.mirror().get().maxInFlight()) {
          return old.mirrorPermits();
        }
      }
    }
    return new Semaphore(route.mirror().get().maxInFlight());
  }

  public RouteTable table() {
    return table;
  }

  /** The group of the subset called {@code name}, or {@code null}; for the admin view. */
  public EndpointGroup subset(String name) {
    return subsets.get(name);
  }

  /** The whole service: where calls go that no route claims. */
  public EndpointGroup all() {
    return all;
  }

  /** The first route whose conditions hold for {@code request}, or {@code null}. */
  public CompiledRoute match(MeshRequest request) {
    for (CompiledRoute route : routes) {
      if (route.route().matches(request)) {
        return route;
      }
    }
    return null;
  }

  /** Hands every group its members from the service's endpoint list {@code states}. */
  public void members(List<EndpointState> states) {
    all.members(states);
    subsets.values().forEach(group -> group.members(states));
  }

  /** Runs {@code action} for the whole-service group and every subset group. */
  public void forEachGroup(Consumer<EndpointGroup> action) {
    action.accept(all);
    subsets.values().forEach(action);
  }

  /** Gives members to the groups that have none yet: those a new route table introduced. */
  public void membersOfNewGroups(List<EndpointState> states) {
    if (!all.assigned()) {
      all.members(states);
    }
    for (EndpointGroup group : subsets.values()) {
      if (!group.assigned()) {
        group.members(states);
      }
    }
  }

  /**
   * Rebuilds every group's candidates; {@code enteredPanic} hears of each group that has just
   * entered panic mode.
   */
  public void refresh(double panicThresholdPercent, Consumer<EndpointGroup> enteredPanic) {
    if (all.refresh(panicThresholdPercent)) {
      enteredPanic.accept(all);
    }
    for (EndpointGroup group : subsets.values()) {
      if (group.refresh(panicThresholdPercent)) {
        enteredPanic.accept(group);
      }
    }
  }
}
