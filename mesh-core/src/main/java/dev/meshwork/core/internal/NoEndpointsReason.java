package dev.meshwork.core.internal;

import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;

/**
 * Puts into words why a call found no endpoint: discovery has not answered, lists none, a route's
 * subset matches none, or every candidate is ejected or failing its checks. The words end up in
 * {@code MeshException.NoHealthyEndpoints}, so they name the source, route and subset.
 */
final class NoEndpointsReason {
  private NoEndpointsReason() {}

  /**
   * @param group the call's endpoint group, or {@code null} for the whole service
   * @param route the route that chose it, or {@code null}
   */
  static String explain(
      EndpointSet current,
      EndpointGroup group,
      String route,
      String source,
      DiscoveryHealth health) {
    if (group != null
        && group.subset() != null
        && current.snapshot() != null
        && !current.snapshot().isEmpty()) {
      String where = (route == null ? "" : "route '" + route + "' ") + "subset " + group.subset();
      return group.members().isEmpty()
          ? where
              + ": none of the service's "
              + current.snapshot().size()
              + " endpoints carry its labels"
          : where
              + ": no healthy endpoints among its "
              + group.members().size()
              + " (ejected or failing health checks)";
    }
    String suffix =
        health.status() == DiscoveryHealth.Status.HEALTHY || health.lastError().isEmpty()
            ? ""
            : "; last discovery error: " + health.lastError().get();
    if (current.snapshot() == null) {
      return "no endpoints: discovery " + source + " has not answered yet" + suffix;
    }
    if (current.snapshot().isEmpty()) {
      return "no endpoints: discovery "
          + source
          + " lists none (since "
          + current.updatedAt()
          + ")"
          + suffix;
    }
    return "no healthy endpoints among "
        + current.snapshot().size()
        + " (ejected or failing health checks)"
        + suffix;
  }
}
