package dev.meshwork.xds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.meshwork.core.Endpoint;
import dev.meshwork.xds.internal.EndpointDecoder.EndpointsSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's endpoints: each once, labelled with its clusters, rebuilt only when they change. */
class EndpointUnionTest {

  private static EndpointsSpec spec(String name, Endpoint... endpoints) {
    return new EndpointsSpec(name, List.of(endpoints), List.of());
  }

  private static Map<String, EndpointsSpec> clusters(EndpointsSpec... specs) {
    Map<String, EndpointsSpec> clusters = new LinkedHashMap<>();
    for (EndpointsSpec spec : specs) {
      clusters.put(spec.name(), spec);
    }
    return clusters;
  }

  @Test
  void eachEndpointCarriesItsClusterLabel() {
    Endpoint a = Endpoint.builder("10.0.0.1", 80).weight(3).zone("z").build();
    Endpoint b = Endpoint.of("10.0.0.2", 80);
    EndpointUnion union =
        EndpointUnion.of(clusters(spec("v1", a), spec("v2", b)), EndpointUnion.EMPTY);
    assertEquals(
        List.of(
            a.toBuilder().label("xds.cluster/v1", "true").build(),
            b.toBuilder().label("xds.cluster/v2", "true").build()),
        union.endpoints());
    assertEquals(List.of(), union.notes());
  }

  @Test
  void anEndpointInTwoClustersIsThereOnceWithBothLabelsAndTheFirstWeight() {
    EndpointUnion union =
        EndpointUnion.of(
            clusters(
                spec("v1", Endpoint.of("10.0.0.1", 80)),
                spec(
                    "v2",
                    Endpoint.builder("10.0.0.1", 80).weight(2).build(),
                    Endpoint.of("10.0.0.2", 80))),
            EndpointUnion.EMPTY);
    assertEquals(
        List.of(
            Endpoint.builder("10.0.0.1", 80)
                .label("xds.cluster/v1", "true")
                .label("xds.cluster/v2", "true")
                .build(),
            Endpoint.builder("10.0.0.2", 80).label("xds.cluster/v2", "true").build()),
        union.endpoints());
    assertEquals(
        List.of(
            "endpoint 10.0.0.1:80 has weight 2 zone '' in cluster 'v2' but weight 1 zone '' in"
                + " another; the first is used"),
        union.notes());
  }

  @Test
  void theUnionIsReusedOnlyWhileEveryClusterKeepsTheSameEndpoints() {
    EndpointsSpec v1 = spec("v1", Endpoint.of("10.0.0.1", 80));
    EndpointsSpec v2 = spec("v2", Endpoint.of("10.0.0.2", 80));
    EndpointUnion first = EndpointUnion.of(clusters(v1, v2), EndpointUnion.EMPTY);

    assertSame(first, EndpointUnion.of(clusters(v1, v2), first));
    // An equal but newly accepted assignment, another order, or another cluster: built anew.
    EndpointUnion again =
        EndpointUnion.of(clusters(v1, spec("v2", Endpoint.of("10.0.0.2", 80))), first);
    assertNotSame(first, again);
    assertEquals(first.endpoints(), again.endpoints());
    assertNotSame(first, EndpointUnion.of(clusters(v2, v1), first));
    assertNotSame(first, EndpointUnion.of(clusters(v1), first));
  }
}
