package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable.Subset;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.discovery.DiscoverySources;
import dev.meshwork.discovery.DnsDiscovery;
import dev.meshwork.discovery.FileDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rule MW103: a subset that selects none of the endpoints its service's discovery can give. Static
 * lists are known; an endpoints file is read as it is now; DNS answers carry no labels, so no
 * subset ever selects one of theirs; other sources are not judged.
 */
final class SubsetLint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SubsetLint() {}

  /** What lint can know of a source's endpoints: the labels of each, and where they came from. */
  private record Known(List<Map<String, String>> labels, boolean changes, List<String> from) {}

  static void lint(ServiceConfig service, String path, List<Finding> findings) {
    Map<String, Subset> subsets = service.routes().subsets();
    if (subsets.isEmpty()) {
      return;
    }
    String name = service.name().value();
    List<String> unreadable = new ArrayList<>();
    Known known = known(service.discovery(), name, unreadable);
    if (known == null) {
      for (String reason : unreadable) {
        findings.add(
            LintRule.EMPTY_SUBSET.at(
                LintRule.Level.INFO,
                DocPath.child(path, "discovery"),
                "the subsets of service '" + name + "' were not checked: " + reason,
                "run lint where the endpoints file is readable"));
      }
      return;
    }
    for (Subset subset : subsets.values()) {
      if (known.labels().stream().anyMatch(labels -> selects(subset, labels))) {
        continue;
      }
      List<String> uses = new ArrayList<>();
      boolean failing = uses(service, subset.name(), uses);
      LintRule.Level level =
          uses.isEmpty()
              ? LintRule.Level.INFO
              : failing && !known.changes() ? LintRule.Level.ERROR : LintRule.Level.WARNING;
      findings.add(
          LintRule.EMPTY_SUBSET.at(
              level,
              DocPath.child(DocPath.child(path, "subsets"), subset.name()),
              "subset '"
                  + subset.name()
                  + "' "
                  + new TreeMap<>(subset.labels())
                  + " of service '"
                  + name
                  + "' selects "
                  + (known.labels().isEmpty()
                      ? "no endpoint of " + String.join(" + ", known.from())
                      : "none of the "
                          + known.labels().size()
                          + " endpoints of "
                          + String.join(" + ", known.from())
                          + labelsSeen(known))
                  + (known.from().contains("dns") ? " (DNS answers carry no labels)" : "")
                  + (uses.isEmpty()
                      ? "; no route uses it"
                      : "; " + String.join(", ", uses) + ", and those calls fail"),
              "fix the subset's labels or the endpoints' labels"
                  + (known.from().contains("dns")
                      ? "; for labelled endpoints use static discovery or an endpoints file"
                      : "")));
    }
  }

  /** The routes that send calls to {@code subset}; true when one sends real traffic there. */
  private static boolean uses(ServiceConfig service, String subset, List<String> uses) {
    boolean failing = false;
    for (Route route : service.routes().routes()) {
      for (Route.WeightedSubset split : route.split()) {
        if (split.subset().equals(subset) && split.weight() > 0) {
          int total = route.split().stream().mapToInt(Route.WeightedSubset::weight).sum();
          uses.add(
              "route '"
                  + route.name()
                  + "' sends it "
                  + split.weight()
                  + " of "
                  + total
                  + " weight parts");
          failing = true;
        }
      }
      for (Route.SubsetOverride override : route.overrides()) {
        if (override.subset().equals(subset)) {
          uses.add(
              "route '"
                  + route.name()
                  + "' pins calls with "
                  + override.header()
                  + ": "
                  + override.value()
                  + " to it");
          failing = true;
        }
      }
      if (route.mirror().isPresent() && route.mirror().get().subset().equals(subset)) {
        uses.add("route '" + route.name() + "' mirrors calls to it");
      }
    }
    return failing;
  }

  private static boolean selects(Subset subset, Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : subset.labels().entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static String labelsSeen(Known known) {
    Set<String> seen = new TreeSet<>();
    known.labels().forEach(labels -> labels.forEach((k, v) -> seen.add(k + "=" + v)));
    if (seen.isEmpty()) {
      return " (none carries a label)";
    }
    List<String> shown = new ArrayList<>(seen);
    return " (labels there: "
        + String.join(", ", shown.subList(0, Math.min(shown.size(), 12)))
        + (shown.size() > 12 ? ", ..." : "")
        + ")";
  }

  /** The endpoints {@code source} can give, or null when lint cannot know them. */
  private static Known known(DiscoverySource source, String service, List<String> unreadable) {
    if (source instanceof StaticDiscovery fixed) {
      List<Map<String, String>> labels = new ArrayList<>();
      for (Endpoint endpoint : fixed.endpoints()) {
        labels.add(endpoint.labels());
      }
      return new Known(labels, false, List.of("static discovery"));
    }
    if (source instanceof DnsDiscovery) {
      return new Known(List.of(), false, List.of("dns"));
    }
    if (source instanceof FileDiscovery file) {
      List<Map<String, String>> labels = fileLabels(file, service, unreadable);
      return labels == null
          ? null
          : new Known(labels, true, List.of("the endpoints file " + file.path()));
    }
    List<DiscoverySource> parts = DiscoverySources.parts(source);
    if (parts.isEmpty()) {
      return null;
    }
    List<Map<String, String>> labels = new ArrayList<>();
    List<String> from = new ArrayList<>();
    boolean changes = false;
    for (DiscoverySource part : parts) {
      Known each = known(part, service, unreadable);
      if (each == null) {
        return null;
      }
      labels.addAll(each.labels());
      from.addAll(each.from());
      changes |= each.changes();
    }
    return new Known(labels, changes, from);
  }

  /** The labels of the file's endpoints of {@code service}; null after saying why it cannot. */
  private static List<Map<String, String>> fileLabels(
      FileDiscovery file, String service, List<String> unreadable) {
    JsonNode root;
    try {
      if (Files.size(file.path()) > DocumentReader.MAX_SIZE) {
        unreadable.add("the endpoints file " + file.path() + " is larger than 16 MiB");
        return null;
      }
      byte[] content = Files.readAllBytes(file.path());
      root = (file.format() == FileDiscovery.Format.YAML ? YAML : JSON).readTree(content);
    } catch (IOException e) {
      unreadable.add("the endpoints file " + file.path() + " cannot be read (" + e + ")");
      return null;
    }
    JsonNode entries = root == null ? null : root.path("services").get(service);
    List<Map<String, String>> labels = new ArrayList<>();
    if (entries == null || !entries.isArray()) {
      return labels;
    }
    for (JsonNode entry : entries) {
      Map<String, String> each = new TreeMap<>();
      entry.path("labels").properties().forEach(l -> each.put(l.getKey(), l.getValue().asText()));
      labels.add(each);
    }
    return labels;
  }
}
