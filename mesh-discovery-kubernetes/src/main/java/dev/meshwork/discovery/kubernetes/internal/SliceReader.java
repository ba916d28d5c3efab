package dev.meshwork.discovery.kubernetes.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshConfigException;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the EndpointSlices of one Kubernetes service into mesh endpoints.
 *
 * <p>Conditions follow the API's documented defaults: a missing {@code ready} means ready, a
 * missing {@code serving} means "as ready", a missing {@code terminating} means not terminating.
 * Ready endpoints are used; serving-but-terminating ones only when the source allows it and no
 * endpoint is ready (what kube-proxy does to drain gracefully). The zone is the endpoint's {@code
 * zone}, or the deprecated topology label; labels are copied from the endpoint's pod for the
 * configured keys.
 */
public final class SliceReader {
  private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private final String portName;
  private final boolean terminatingFallback;
  private final Set<String> podLabelKeys;

  /** What went wrong reading the slices; the message names the slice and the reason. */
  public static final class SliceProblem extends Exception {
    private static final long serialVersionUID = 1L;

    SliceProblem(String message) {
      super(message, null, false, false);
    }
  }

  public SliceReader(String portName, boolean terminatingFallback, Set<String> podLabelKeys) {
    this.portName = portName;
    this.terminatingFallback = terminatingFallback;
    this.podLabelKeys = Set.copyOf(podLabelKeys);
  }

  /**
   * The endpoints of {@code slices}, ordered by slice name then address, deduplicated by address
   * (an endpoint can sit in two slices while the controller moves it).
   *
   * @param pods finds a pod by name (same namespace), or returns {@code null}
   */
  public List<Endpoint> read(List<EndpointSlice> slices, Function<String, Pod> pods)
      throws SliceProblem {
    List<EndpointSlice> ordered = new ArrayList<>(slices);
    ordered.sort(Comparator.comparing(SliceReader::name));
    Map<String, Endpoint> ready = new LinkedHashMap<>();
    Map<String, Endpoint> terminating = new LinkedHashMap<>();
    for (EndpointSlice slice : ordered) {
      List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> members =
          slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
      if (members.isEmpty()) {
        continue;
      }
      int port = port(slice);
      for (var member : members) {
        if (member == null) {
          continue;
        }
        EndpointConditions conditions = member.getConditions();
        boolean isReady =
            conditions == null || conditions.getReady() == null || conditions.getReady();
        boolean isServing =
            conditions == null || conditions.getServing() == null
                ? isReady
                : conditions.getServing();
        boolean isTerminating =
            conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
        if (member.getAddresses() == null || member.getAddresses().isEmpty()) {
          continue;
        }
        if (isReady) {
          Endpoint endpoint = toEndpoint(slice, member, port, pods);
          ready.putIfAbsent(endpoint.address(), endpoint);
        } else if (terminatingFallback && isServing && isTerminating) {
          Endpoint endpoint = toEndpoint(slice, member, port, pods);
          terminating.putIfAbsent(endpoint.address(), endpoint);
        }
      }
    }
    return List.copyOf((ready.isEmpty() ? terminating : ready).values());
  }

  private int port(EndpointSlice slice) throws SliceProblem {
    List<EndpointPort> ports =
        slice.getPorts() == null
            ? List.of()
            : slice.getPorts().stream().filter(Objects::nonNull).toList();
    String name = name(slice);
    List<String> names =
        ports.stream().map(p -> p.getName() == null ? "(unnamed)" : p.getName()).toList();
    EndpointPort chosen = null;
    if (portName != null) {
      for (EndpointPort candidate : ports) {
        if (portName.equals(candidate.getName())) {
          chosen = candidate;
        }
      }
      if (chosen == null) {
        throw new SliceProblem(
            "EndpointSlice "
                + name
                + " has no port named '"
                + portName
                + "' (it has "
                + names
                + ")");
      }
    } else if (ports.size() == 1) {
      chosen = ports.get(0);
    } else {
      throw new SliceProblem(
          "EndpointSlice "
              + name
              + " has "
              + ports.size()
              + " ports "
              + names
              + "; choose one with portName(...)");
    }
    if (chosen.getPort() == null || chosen.getPort() < 1 || chosen.getPort() > 65535) {
      throw new SliceProblem(
          "EndpointSlice "
              + name
              + " port '"
              + chosen.getName()
              + "' has no usable number ("
              + chosen.getPort()
              + ")");
    }
    return chosen.getPort();
  }

  private Endpoint toEndpoint(
      EndpointSlice slice,
      io.fabric8.kubernetes.api.model.discovery.v1.Endpoint member,
      int port,
      Function<String, Pod> pods)
      throws SliceProblem {
    String zone = member.getZone();
    if (zone == null && member.getDeprecatedTopology() != null) {
      zone = member.getDeprecatedTopology().get(ZONE_LABEL);
    }
    Map<String, String> labels = new TreeMap<>();
    ObjectReference target = member.getTargetRef();
    if (!podLabelKeys.isEmpty()
        && target != null
        && "Pod".equals(target.getKind())
        && target.getName() != null) {
      Pod pod = pods.apply(target.getName());
      Map<String, String> podLabels =
          pod == null || pod.getMetadata().getLabels() == null
              ? Map.of()
              : pod.getMetadata().getLabels();
      for (String key : podLabelKeys) {
        if (podLabels.containsKey(key)) {
          labels.put(key, podLabels.get(key));
        }
      }
    }
    try {
      return new Endpoint(member.getAddresses().get(0), port, 1, zone, labels);
    } catch (MeshConfigException e) {
      throw new SliceProblem("EndpointSlice " + name(slice) + ": " + e.getMessage());
    }
  }

  /** The slice's name; the API server always sets one, but a slice without it still sorts. */
  private static String name(EndpointSlice slice) {
    String name = slice.getMetadata() == null ? null : slice.getMetadata().getName();
    return name == null ? "(unnamed)" : name;
  }
}
