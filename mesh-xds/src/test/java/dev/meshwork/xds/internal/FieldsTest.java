package dev.meshwork.xds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unsupported-field tracking: every set field nobody read is reported, message by message. */
class FieldsTest {
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  /** Many kinds of field set: scalars, a oneof, wrappers, repeated, a map, unknown fields. */
  private static Cluster rich(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setConnectTimeout(Durations.fromMillis(250))
        .setMaxRequestsPerConnection(UInt32Value.of(10))
        .setRespectDnsTtl(true)
        .setIgnoreHealthOnHostRemoval(true)
        .addDnsResolvers(
            io.envoyproxy.envoy.config.core.v3.Address.newBuilder()
                .setPipe(io.envoyproxy.envoy.config.core.v3.Pipe.newBuilder().setPath("/a")))
        .addDnsResolvers(
            io.envoyproxy.envoy.config.core.v3.Address.newBuilder()
                .setPipe(io.envoyproxy.envoy.config.core.v3.Pipe.newBuilder().setPath("/b")))
        .putTypedExtensionProtocolOptions("x", Any.pack(Router.getDefaultInstance()))
        .setCircuitBreakers(
            CircuitBreakers.newBuilder()
                .addThresholds(
                    CircuitBreakers.Thresholds.newBuilder()
                        .setPriority(RoutingPriority.HIGH)
                        .setMaxRetries(UInt32Value.of(3)))
                .addThresholds(
                    CircuitBreakers.Thresholds.newBuilder()
                        .setMaxRequests(UInt32Value.of(100))
                        .setMaxRetries(UInt32Value.of(5))
                        .setTrackRemaining(true)))
        .setCloseConnectionsOnHostHealthFailure(true)
        .setUnknownFields(
            UnknownFieldSet.newBuilder()
                .addField(9999, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build())
        .build();
  }

  @Test
  void everySetFieldIsReportedInFieldNumberOrderAsGetAllFieldsListsThem() {
    Cluster cluster = rich("a");
    List<Unsupported> reported = new ArrayList<>();
    new Fields(cluster, "").report("Cluster", "a", reported);

    List<Unsupported> expected = new ArrayList<>();
    for (Map.Entry<FieldDescriptor, Object> entry : cluster.getAllFields().entrySet()) {
      String name = entry.getKey().getName();
      if (entry.getKey().isRepeated()) {
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          expected.add(
              new Unsupported(
                  "Cluster",
                  "a",
                  name + "[" + i + "]",
                  Fields.text(values.get(i)),
                  "not supported by Meshwork"));
        }
      } else {
        expected.add(
            new Unsupported(
                "Cluster", "a", name, Fields.text(entry.getValue()), "not supported by Meshwork"));
      }
    }
    expected.add(
        new Unsupported(
            "Cluster",
            "a",
            "(unknown fields [9999])",
            "",
            "fields newer than the Envoy API Meshwork was built with"));
    assertEquals(expected, reported);
  }

  @Test
  void aSecondMessageOfTheSameTypeIsTrackedOnItsOwn() {
    // The first message's tracker reads fields the second's does not; the second still reports.
    Fields first = new Fields(rich("a"), "");
    first.use("name", "type", "eds_cluster_config", "connect_timeout", "respect_dns_ttl");
    first.unsupported("max_requests_per_connection", "first only");
    Fields thresholds = first.child("circuit_breakers").child("thresholds", 1);
    thresholds.use("max_requests", "max_retries");
    List<Unsupported> one = new ArrayList<>();
    first.report("Cluster", "a", one);

    Fields second = new Fields(rich("b"), "");
    second.use("name", "type", "eds_cluster_config", "connect_timeout");
    second.child("circuit_breakers").child("thresholds", 0).use("priority");
    List<Unsupported> two = new ArrayList<>();
    second.report("Cluster", "b", two);

    List<String> firstText = one.stream().map(Unsupported::toString).toList();
    List<String> secondText = two.stream().map(Unsupported::toString).toList();
    assertTrue(
        firstText.contains("Cluster 'a' max_requests_per_connection = {value: 10}: first only"),
        firstText.toString());
    assertTrue(
        firstText.contains(
            "Cluster 'a' circuit_breakers.thresholds[1].track_remaining = true: not supported by Meshwork"),
        firstText.toString());
    assertTrue(
        firstText.stream().noneMatch(t -> t.contains("respect_dns_ttl")), firstText.toString());
    assertTrue(
        secondText.contains(
            "Cluster 'b' max_requests_per_connection = {value: 10}: not supported by Meshwork"),
        secondText.toString());
    assertTrue(
        secondText.contains("Cluster 'b' respect_dns_ttl = true: not supported by Meshwork"),
        secondText.toString());
    assertTrue(
        secondText.contains(
            "Cluster 'b' circuit_breakers.thresholds[0].max_retries = {value: 3}: not supported by Meshwork"),
        secondText.toString());
    assertTrue(
        secondText.contains(
            "Cluster 'b' circuit_breakers.thresholds[1] = {max_requests { value: 100 } max_retries { value: 5 } track_remaining: true}: not supported by Meshwork"),
        secondText.toString());
    // A decoded Cluster reports the same fields each time it comes.
    assertEquals(
        ClusterDecoder.decode(rich("c")).unsupported(),
        ClusterDecoder.decode(rich("c")).unsupported());
  }

  @Test
  void anUnpackedAnyIsReportedUnderItsField() {
    Message listener =
        io.envoyproxy.envoy.config.listener.v3.ApiListener.newBuilder()
            .setApiListener(
                Any.pack(
                    io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                        .HttpConnectionManager.newBuilder()
                        .setStatPrefix("out")
                        .setNormalizePath(BoolValue.of(true))
                        .build()))
            .build();
    Fields fields = new Fields(listener, "api_listener");
    fields.unpack(
        "api_listener",
        io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
            .HttpConnectionManager.class);
    fields.unpacked("api_listener").use("stat_prefix");
    List<Unsupported> reported = new ArrayList<>();
    fields.report("Listener", "l", reported);
    assertEquals(
        List.of(
            "Listener 'l' api_listener.api_listener.normalize_path = {value: true}: not supported by Meshwork"),
        reported.stream().map(Unsupported::toString).toList());
  }
}
