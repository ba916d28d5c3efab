package dev.meshwork.core.balancer;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real endpoint states (as the mesh builds them) and pick contexts for balancer tests. */
public final class Candidates {
  private Candidates() {}

  /** Endpoints 10.0.0.1:80, 10.0.0.2:80, ... with the given weights. */
  static List<EndpointState> weighted(int... weights) {
    List<EndpointState> states = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      Endpoint endpoint = Endpoint.builder("10.0.0." + (i + 1), 80).weight(weights[i]).build();
      states.add(new EndpointState(endpoint, new EndpointStats(0)));
    }
    return List.copyOf(states);
  }

  static List<EndpointState> equal(int count) {
    int[] weights = new int[count];
    java.util.Arrays.fill(weights, 1);
    return weighted(weights);
  }

  /** A pick context whose GET / request carries {@code headers}. */
  public static PickContext request(Map<String, String> headers) {
    MeshRequest request =
        new MeshRequest() {
          @Override
          public String method() {
            return "GET";
          }

          @Override
          public String path() {
            return "/";
          }

          @Override
          public String header(String name) {
            return headers.get(name);
          }
        };
    return new PickContext() {
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

  static PickContext noHeaders() {
    return request(Map.of());
  }
}
