package dev.meshwork.discovery.kubernetes.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the EndpointSlices (and pods) an API server sends, as the client deserializes them,
 * through {@link SliceReader}, under each port and fallback setting. Reading yields endpoints with
 * unique addresses taken from the slices, labelled only with the configured pod label keys, or
 * refuses with a {@link SliceReader.SliceProblem} naming the slice; the watch reports either while
 * keeping the last good endpoints. Input: a Kubernetes {@code List} of EndpointSlices and Pods in
 * JSON or YAML. Seeds: {@code
 * src/test/resources/dev/meshwork/discovery/kubernetes/internal/SliceReaderFuzzTestInputs}.
 */
class SliceReaderFuzzTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Set<String> POD_LABELS = Set.of("version", "app");
  private static final List<SliceReader> READERS =
      List.of(
          new SliceReader(null, false, Set.of()),
          new SliceReader(null, true, POD_LABELS),
          new SliceReader("http", false, POD_LABELS),
          new SliceReader("http", true, Set.of()));

  @FuzzTest
  void slices(byte[] input) {
    KubernetesList list;
    try {
      list =
          SERIALIZATION.unmarshal(new String(input, StandardCharsets.UTF_8), KubernetesList.class);
    } catch (RuntimeException notKubernetesJson) {
      return; // the client refuses it before the mesh sees it
    }
    if (list == null || list.getItems() == null) {
      return;
    }
    List<EndpointSlice> slices = new ArrayList<>();
    Map<String, Pod> pods = new HashMap<>();
    // An item of a kind the client does not know is a RawExtension, whatever the list's type says.
    for (Object item : (List<?>) list.getItems()) {
      if (item instanceof EndpointSlice slice) {
        slices.add(slice);
      } else if (item instanceof Pod pod && pod.getMetadata() != null) {
        pods.put(pod.getMetadata().getName(), pod);
      }
    }
    Set<String> offered = new HashSet<>();
    for (EndpointSlice slice : slices) {
      if (slice != null && slice.getEndpoints() != null) {
        for (var member : slice.getEndpoints()) {
          if (member != null && member.getAddresses() != null) {
            offered.addAll(member.getAddresses());
          }
        }
      }
    }
    for (SliceReader reader : READERS) {
      List<Endpoint> endpoints;
      try {
        endpoints = reader.read(slices, pods::get);
      } catch (SliceReader.SliceProblem e) {
        assertTrue(
            e.getMessage().startsWith("EndpointSlice "), "the problem names the slice: " + e);
        continue;
      }
      // What the watch publishes: refuses duplicate addresses.
      EndpointSnapshot.of(ServiceName.of("mathoid"), endpoints);
      for (Endpoint endpoint : endpoints) {
        assertTrue(offered.contains(endpoint.host()), endpoint + " comes from a slice");
        assertTrue(POD_LABELS.containsAll(endpoint.labels().keySet()), "labels " + endpoint);
      }
    }
  }
}
