package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.endpoint.AddressIndex;
import java.util.List;
import java.util.Objects;

/**
 * The complete, immutable set of endpoints of one service at one moment.
 *
 * <p>Discovery sources publish whole snapshots rather than deltas: the mesh swaps the previous
 * snapshot for the new one atomically, so a call sees either all of an update or none of it.
 *
 * @param service the service the endpoints belong to
 * @param endpoints the instances, in the order the source listed them; addresses are unique
 */
public record EndpointSnapshot(ServiceName service, List<Endpoint> endpoints) {

  /** Copies the list and refuses two endpoints with the same address. */
  public EndpointSnapshot {
    Objects.requireNonNull(service, "service");
    endpoints = List.copyOf(endpoints);
    AddressIndex seen = new AddressIndex(endpoints);
    for (int i = 0; i < endpoints.size(); i++) {
      if (seen.add(i) >= 0) {
        throw new MeshConfigException(
            "service '" + service + "' endpoint #" + (i + 1),
            endpoints.get(i).address(),
            "each address to appear once");
      }
    }
  }

  /** A snapshot of {@code endpoints} for {@code service}. */
  public static EndpointSnapshot of(ServiceName service, List<Endpoint> endpoints) {
    return new EndpointSnapshot(service, endpoints);
  }

  /** An empty snapshot: the service currently has no instances. */
  public static EndpointSnapshot empty(ServiceName service) {
    return new EndpointSnapshot(service, List.of());
  }

  /** True when the service has no instances. */
  public boolean isEmpty() {
    return endpoints.isEmpty();
  }

  /** Number of instances. */
  public int size() {
    return endpoints.size();
  }
}
