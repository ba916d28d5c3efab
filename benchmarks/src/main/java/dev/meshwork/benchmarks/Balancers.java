package dev.meshwork.benchmarks;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.ArrayList;
import java.util.List;

/** The balancers and endpoint lists the balancer benchmarks share. */
final class Balancers {
  static final ServiceName SERVICE = ServiceName.of("mathoid");

  private Balancers() {}

  static LoadBalancerFactory factory(String name) {
    return switch (name) {
      case "round_robin" -> LoadBalancers.roundRobin();
      case "weighted_round_robin" -> LoadBalancers.weightedRoundRobin();
      case "random" -> LoadBalancers.random();
      case "least_request" -> LoadBalancers.leastRequest();
      case "peak_ewma" -> LoadBalancers.peakEwma();
      case "ring_hash" -> LoadBalancers.ringHash(HashPolicy.header("x-user"));
      case "maglev" -> LoadBalancers.maglev(HashPolicy.header("x-user"));
      default -> throw new IllegalArgumentException("unknown balancer " + name);
    };
  }

  /**
   * {@code count} endpoints with weights 1, 2, 3, 1, 2, 3, ... (so the weighted balancers use their
   * tables, not their equal-weight shortcuts), in three zones; {@code generation} changes the
   * address of every other endpoint, so two generations share half their endpoints.
   */
  static EndpointSnapshot snapshot(int count, int generation) {
    List<Endpoint> endpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int port = 1024 + (i % 2 == 0 ? 0 : generation % 2 * 20_000);
      endpoints.add(
          Endpoint.builder("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), port)
              .weight(1 + i % 3)
              .zone("zone-" + i % 3)
              .build());
    }
    return EndpointSnapshot.of(SERVICE, endpoints);
  }

  /**
   * 4096 pick contexts whose requests carry different {@code x-user} keys, so hashing balancers do
   * not hit one slot.
   */
  static PickContext[] contexts() {
    PickContext[] contexts = new PickContext[4096];
    for (int i = 0; i < contexts.length; i++) {
      MeshRequest request = NoNetwork.get("user-" + i);
      contexts[i] =
          new PickContext() {
            @Override
            public MeshRequest request() {
              return request;
            }

            @Override
            public int attempt() {
              return 0;
            }
          };
    }
    return contexts;
  }
}
