package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import dev.meshwork.xds.internal.ResourceType;
import dev.meshwork.xds.internal.XdsRejection;
import dev.meshwork.xds.internal.XdsState;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the decoding of xDS resources: mutations of valid Any-packed Listeners,
 * RouteConfigurations, Clusters and ClusterLoadAssignments either decode or are refused with an
 * {@link XdsRejection} (the NACK path), never any other exception. The Jazzer target reads its
 * input as a resource index and then (position, byte) pairs applied to that resource's bytes; seeds
 * in {@code src/test/resources/dev/meshwork/xds/ResourceDecodingFuzzTestInputs}. The seeded test
 * runs a fixed set of random mutations in every build.
 */
class ResourceDecodingFuzzTest {
  private static final String ENDPOINT = "10.0.0.1:8080";

  /** One valid resource of each type, with most fields the mapping reads set. */
  static final List<Map.Entry<ResourceType, Message>> VALID =
      List.of(
          Map.entry(ResourceType.LISTENER, Resources.listener("mathoid:8080", "routes")),
          Map.entry(ResourceType.ROUTE, routes()),
          Map.entry(ResourceType.CLUSTER, cluster()),
          Map.entry(ResourceType.CLUSTER, XdsTlsTest.mtls("default", "spiffe://a/ns/b/sa/c")),
          Map.entry(
              ResourceType.ENDPOINT, Resources.endpoints("mathoid", ENDPOINT, "10.0.0.2:80")));

  private static Message routes() {
    return Resources.routes(
        "routes",
        "mathoid:8080",
        Route.newBuilder()
            .setName("regex")
            .setMatch(
                RouteMatch.newBuilder()
                    .setSafeRegex(RegexMatcher.newBuilder().setRegex("/render/[a-z]+")))
            .setRoute(
                RouteAction.newBuilder()
                    .setCluster("mathoid")
                    .setTimeout(Durations.fromSeconds(3))
                    .setRetryPolicy(
                        RetryPolicy.newBuilder()
                            .setRetryOn("5xx,connect-failure")
                            .setNumRetries(UInt32Value.of(2))))
            .build(),
        Resources.split("x", "y", Map.of("a", 90, "b", 10)).getVirtualHosts(0).getRoutes(0));
  }

  private static Message cluster() {
    return Resources.cluster("mathoid").toBuilder()
        .setLbPolicy(Cluster.LbPolicy.RING_HASH)
        .setOutlierDetection(
            OutlierDetection.newBuilder()
                .setConsecutive5Xx(UInt32Value.of(3))
                .setBaseEjectionTime(Durations.fromSeconds(30)))
        .setCircuitBreakers(
            CircuitBreakers.newBuilder()
                .addThresholds(
                    CircuitBreakers.Thresholds.newBuilder()
                        .setMaxRequests(UInt32Value.of(100))
                        .setMaxConnections(UInt32Value.of(10))))
        .build();
  }

  @FuzzTest
  void mutations(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Map.Entry<ResourceType, Message> valid = VALID.get(Math.floorMod(input[0], VALID.size()));
    byte[] bytes = valid.getValue().toByteArray();
    for (int i = 1; i + 1 < input.length; i += 2) {
      int at = Math.floorMod(input[i], bytes.length + 1);
      if (at == bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.floorMod(input[i + 1], bytes.length + 1));
      } else {
        bytes[at] = input[i + 1];
      }
    }
    decode(valid.getKey(), packed(valid.getValue(), bytes));
  }

  @Test
  void seededMutationsDecodeOrAreRefused() {
    Random random = new Random(23);
    int refused = 0;
    for (int i = 0; i < 2000; i++) {
      Map.Entry<ResourceType, Message> valid = VALID.get(random.nextInt(VALID.size()));
      byte[] bytes = valid.getValue().toByteArray();
      int changes = 1 + random.nextInt(4);
      for (int c = 0; c < changes && bytes.length > 0; c++) {
        switch (random.nextInt(4)) {
          case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          case 1 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          case 2 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
          default -> {
            byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            int at = random.nextInt(longer.length);
            System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
            longer[at] = (byte) random.nextInt(256);
            bytes = longer;
          }
        }
      }
      refused += decode(valid.getKey(), packed(valid.getValue(), bytes)) ? 0 : 1;
    }
    assertTrue(refused > 0 && refused < 2000, refused + " of 2000 mutations refused");
  }

  private static Any packed(Message valid, byte[] bytes) {
    return Any.pack(valid).toBuilder().setValue(ByteString.copyFrom(bytes)).build();
  }

  /** True when {@code any} decodes, false when it is refused; anything else fails the test. */
  private static boolean decode(ResourceType type, Any any) {
    try {
      XdsState.decode(type, any);
      return true;
    } catch (XdsRejection refused) {
      assertTrue(!refused.getMessage().isBlank());
      return false;
    }
  }
}
