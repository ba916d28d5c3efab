package dev.meshwork.xds.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.xds.internal.EndpointDecoder.EndpointsSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's endpoints: every endpoint of its clusters once, labelled with each cluster it is in,
 * with what it was made of, so that an update that leaves every cluster's endpoints as they were (a
 * CDS or RDS update) reuses it instead of relabelling thousands of endpoints.
 *
 * @param clusters the clusters, in route order
 * @param specs each cluster's endpoints, as accepted
 * @param endpoints the labelled union
 * @param notes what the union noted (an endpoint whose weight or zone differs between clusters)
 */
record EndpointUnion(
    List<String> clusters,
    List<EndpointsSpec> specs,
    List<Endpoint> endpoints,
    List<String> notes) {

  static final EndpointUnion EMPTY = new EndpointUnion(List.of(), List.of(), List.of(), List.of());

  /**
   * The union of {@code clusters} (name to endpoints, in route order): {@code previous} when it was
   * made of the same accepted resources, else a new one.
   */
  static EndpointUnion of(Map<String, EndpointsSpec> clusters, EndpointUnion previous) {
    if (previous.madeOf(clusters)) {
      return previous;
    }
    List<String> notes = new ArrayList<>();
    return new EndpointUnion(
        List.copyOf(clusters.keySet()),
        List.copyOf(clusters.values()),
        List.copyOf(label(clusters, notes)),
        List.copyOf(notes));
  }

  /** Whether this union was made of these very specs (the same instances, in the same order). */
  private boolean madeOf(Map<String, EndpointsSpec> inputs) {
    if (inputs.size() != clusters.size() || inputs.isEmpty()) {
      return false;
    }
    int i = 0;
    for (Map.Entry<String, EndpointsSpec> input : inputs.entrySet()) {
      if (!input.getKey().equals(clusters.get(i)) || input.getValue() != specs.get(i)) {
        return false;
      }
      i++;
    }
    return true;
  }

  private static List<Endpoint> label(Map<String, EndpointsSpec> clusters, List<String> notes) {
    int size = 0;
    for (EndpointsSpec spec : clusters.values()) {
      size += spec.endpoints().size();
    }
    Set<String> addresses = new HashSet<>(size * 2);
    boolean labelled = false;
    for (EndpointsSpec spec : clusters.values()) {
      for (Endpoint endpoint : spec.endpoints()) {
        labelled |= !endpoint.labels().isEmpty();
        if (!addresses.add(endpoint.address())) {
          return merge(clusters, notes);
        }
      }
    }
    if (labelled) {
      return merge(clusters, notes);
    }
    // Each endpoint is in one cluster and has no labels of its own: its label is its cluster's.
    List<Endpoint> all = new ArrayList<>(size);
    for (Map.Entry<String, EndpointsSpec> cluster : clusters.entrySet()) {
      Map<String, String> label =
          Map.of(ServiceAssembler.CLUSTER_LABEL_PREFIX + cluster.getKey(), "true");
      for (Endpoint endpoint : cluster.getValue().endpoints()) {
        all.add(
            new Endpoint(
                endpoint.host(), endpoint.port(), endpoint.weight(), endpoint.zone(), label));
      }
    }
    return all;
  }

  /** The general case: an endpoint in several clusters keeps the first's weight and zone. */
  private static List<Endpoint> merge(Map<String, EndpointsSpec> clusters, List<String> notes) {
    Map<String, Endpoint.Builder> byAddress = new LinkedHashMap<>();
    Map<String, Endpoint> first = new LinkedHashMap<>();
    for (Map.Entry<String, EndpointsSpec> cluster : clusters.entrySet()) {
      String label = ServiceAssembler.CLUSTER_LABEL_PREFIX + cluster.getKey();
      for (Endpoint endpoint : cluster.getValue().endpoints()) {
        Endpoint seen = first.putIfAbsent(endpoint.address(), endpoint);
        Endpoint.Builder builder =
            byAddress.computeIfAbsent(endpoint.address(), a -> endpoint.toBuilder());
        if (seen != null
            && (seen.weight() != endpoint.weight() || !seen.zone().equals(endpoint.zone()))) {
          notes.add(
              "endpoint "
                  + endpoint.address()
                  + " has weight "
                  + endpoint.weight()
                  + " zone '"
                  + endpoint.zone()
                  + "' in cluster '"
                  + cluster.getKey()
                  + "' but weight "
                  + seen.weight()
                  + " zone '"
                  + seen.zone()
                  + "' in another; the first is used");
        }
        builder.label(label, "true");
      }
    }
    List<Endpoint> all = new ArrayList<>(byAddress.size());
    byAddress.values().forEach(b -> all.add(b.build()));
    return all;
  }
}
