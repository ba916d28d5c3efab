package dev.meshwork.core.internal.routing;

import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.Route.SubsetOverride;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * A route bound to the live endpoint groups of its subsets, with its split flattened into
 * cumulative weights so choosing a destination is one random draw and a short scan.
 */
public final class CompiledRoute {
  private final Route route;
  private final Destination all;
  private final Destination[] splitDestinations;
  private final int[] cumulativeWeights;
  private final SubsetOverride[] overrides;
  private final Destination[] overrideDestinations;
  private final EndpointGroup mirrorGroup;
  private final Semaphore mirrorPermits;

  /**
   * @param mirrorPermits the route's mirror bound, or {@code null} when it does not mirror
   */
  CompiledRoute(
      Route route,
      EndpointGroup all,
      List<EndpointGroup> splitGroups,
      List<EndpointGroup> overrideGroups,
      EndpointGroup mirrorGroup,
      Semaphore mirrorPermits) {
    this.route = route;
    // Destinations are made once here, so choosing one allocates nothing.
    this.all = new Destination(all, Destination.Reason.ALL);
    this.splitDestinations =
        splitGroups.stream()
            .map(group -> new Destination(group, Destination.Reason.SPLIT))
            .toArray(Destination[]::new);
    this.cumulativeWeights = new int[splitDestinations.length];
    int total = 0;
    for (int i = 0; i < splitDestinations.length; i++) {
      total += route.split().get(i).weight();
      cumulativeWeights[i] = total;
    }
    this.overrides = route.overrides().toArray(SubsetOverride[]::new);
    this.overrideDestinations =
        overrideGroups.stream()
            .map(group -> new Destination(group, Destination.Reason.OVERRIDE))
            .toArray(Destination[]::new);
    this.mirrorGroup = mirrorGroup;
    this.mirrorPermits = mirrorPermits;
  }

  public Route route() {
    return route;
  }

  /**
   * Where a call of this route goes: an override's subset, a subset drawn by weight, or the whole
   * service.
   */
  public Destination destination(MeshRequest request, RandomGenerator random) {
    for (int i = 0; i < overrides.length; i++) {
      if (overrides[i].value().equals(request.header(overrides[i].header()))) {
        return overrideDestinations[i];
      }
    }
    if (splitDestinations.length == 0) {
      return all;
    }
    if (splitDestinations.length == 1) {
      return splitDestinations[0];
    }
    int draw = random.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (draw < cumulativeWeights[i]) {
        return splitDestinations[i];
      }
    }
    throw new AssertionError("draw " + draw + " beyond the split's total weight");
  }

  /** The mirror's group, or {@code null} when the route does not mirror. */
  public EndpointGroup mirrorGroup() {
    return mirrorGroup;
  }

  /** Bounds the route's mirror copies in flight; {@code null} when the route does not mirror. */
  public Semaphore mirrorPermits() {
    return mirrorPermits;
  }
}
