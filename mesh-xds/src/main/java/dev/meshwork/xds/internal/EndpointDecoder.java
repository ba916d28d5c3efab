package dev.meshwork.xds.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshConfigException;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decodes a ClusterLoadAssignment: the usable endpoints (health UNKNOWN, HEALTHY or DEGRADED) of
 * the best priority that has any, with their weights and zones. Priorities fail over whole: the
 * next priority is used only when every endpoint of the better ones is unusable.
 */
final class EndpointDecoder {

  /** The endpoints a cluster's traffic goes to. */
  record EndpointsSpec(String name, List<Endpoint> endpoints, List<Unsupported> unsupported) {}

  private EndpointDecoder() {}

  static EndpointsSpec decode(ClusterLoadAssignment assignment, String at) {
    Fields fields = new Fields(assignment, "");
    fields.use("cluster_name");
    TreeMap<Integer, List<Endpoint>> byPriority = new TreeMap<>();
    for (int l = 0; l < assignment.getEndpointsCount(); l++) {
      LocalityLbEndpoints locality = assignment.getEndpoints(l);
      Fields lf = fields.child("endpoints", l);
      lf.use("locality", "priority", "metadata", "load_balancing_weight");
      lf.unsupported("proximity", "Meshwork prefers the local zone only");
      if (locality.hasLedsClusterLocalityConfig()) {
        throw new XdsRejection(at + " endpoints[" + l + "]", "LEDS is not supported");
      }
      List<Endpoint> usable =
          byPriority.computeIfAbsent(locality.getPriority(), p -> new ArrayList<>());
      for (int e = 0; e < locality.getLbEndpointsCount(); e++) {
        LbEndpoint lb = locality.getLbEndpoints(e);
        Fields ef = lf.child("lb_endpoints", e);
        ef.use("health_status", "load_balancing_weight", "metadata");
        if (!lb.hasEndpoint() || !lb.getEndpoint().getAddress().hasSocketAddress()) {
          throw new XdsRejection(where(at, l, e), "needs an endpoint with a socket_address");
        }
        Fields endpoint = ef.child("endpoint");
        endpoint.use("address", "hostname");
        SocketAddress socket = lb.getEndpoint().getAddress().getSocketAddress();
        if (socket.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE
            || socket.getProtocol() != SocketAddress.Protocol.TCP) {
          throw new XdsRejection(
              where(at, l, e), "needs a TCP port_value, not " + Fields.text(socket));
        }
        if (!usable(lb.getHealthStatus())) {
          continue;
        }
        long weight = lb.hasLoadBalancingWeight() ? lb.getLoadBalancingWeight().getValue() : 1;
        try {
          usable.add(
              new Endpoint(
                  socket.getAddress(),
                  socket.getPortValue(),
                  (int) Math.min(weight, Integer.MAX_VALUE),
                  locality.getLocality().getZone(),
                  Map.of()));
        } catch (MeshConfigException e2) {
          throw new XdsRejection(where(at, l, e), e2.getMessage());
        }
      }
    }
    List<Endpoint> chosen = List.of();
    for (List<Endpoint> endpoints : byPriority.values()) {
      if (!endpoints.isEmpty()) {
        chosen = endpoints;
        break;
      }
    }
    checkDistinct(chosen, at);
    if (assignment.hasPolicy()) {
      Fields policy = fields.child("policy");
      policy.unsupported(
          "drop_overloads", "Meshwork does not drop calls on the control plane's behalf");
      policy.unsupported(
          "overprovisioning_factor", "priorities fail over whole, without overprovisioning");
    }
    List<Unsupported> unsupported = new ArrayList<>();
    fields.report("ClusterLoadAssignment", assignment.getClusterName(), unsupported);
    return new EndpointsSpec(assignment.getClusterName(), List.copyOf(chosen), unsupported);
  }

  private static String where(String at, int locality, int endpoint) {
    return at + " endpoints[" + locality + "].lb_endpoints[" + endpoint + "]";
  }

  /** Refuses an address that appears twice; small lists are compared pairwise, without keys. */
  private static void checkDistinct(List<Endpoint> endpoints, String at) {
    Set<String> seen = endpoints.size() > 32 ? new HashSet<>() : null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      boolean twice = false;
      if (seen != null) {
        twice = !seen.add(endpoint.address());
      } else {
        for (int j = 0; j < i && !twice; j++) {
          twice =
              endpoints.get(j).port() == endpoint.port()
                  && endpoints.get(j).host().equals(endpoint.host());
        }
      }
      if (twice) {
        throw new XdsRejection(at, "endpoint " + endpoint.address() + " appears twice");
      }
    }
  }

  private static boolean usable(HealthStatus status) {
    return status == HealthStatus.UNKNOWN
        || status == HealthStatus.HEALTHY
        || status == HealthStatus.DEGRADED;
  }
}
