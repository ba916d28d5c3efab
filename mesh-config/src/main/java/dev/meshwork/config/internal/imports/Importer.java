package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.DocumentReader;
import dev.meshwork.config.internal.DocumentReader.Read;
import dev.meshwork.config.internal.Location;
import dev.meshwork.config.internal.Merge;
import dev.meshwork.config.internal.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes manifests that configure traffic (Gateway API {@code HTTPRoute} attached to a
 * Service, Istio {@code VirtualService} and {@code DestinationRule}) into a mesh document, so that
 * it merges, compiles, lints and explains as one. Every field is honoured, refused, or left out and
 * reported; docs/config/importers.md has the table.
 */
public final class Importer {
  private static final String GATEWAY = "gateway.networking.k8s.io/";
  private static final String ISTIO = "networking.istio.io/";
  private static final String KINDS =
      "one of HTTPRoute (gateway.networking.k8s.io/v1), VirtualService or DestinationRule"
          + " (networking.istio.io/v1), Service (v1) for its selector, or a mesh document"
          + " (meshwork.dev/v1alpha1, in a file of its own)";

  private static final Set<String> ROUTING_KINDS =
      Set.of("HTTPRoute", "VirtualService", "DestinationRule");

  private Importer() {}

  /** A file read: a mesh document, or the Kubernetes objects of a manifest file. */
  public record Parsed(Read mesh, Batch objects) {}

  /** The Kubernetes objects of one file. */
  public static final class Batch {
    private final List<Manifest> manifests;

    private Batch(List<Manifest> manifests) {
      this.manifests = manifests;
    }
  }

  /**
   * The mesh document an import wrote, the fields it left out, and the services it configured.
   *
   * @param read the document, located in the imported files
   * @param notes the fields left out (lenient mode only)
   * @param services the services the imported objects configure
   */
  public record Imported(Read read, List<ImportNote> notes, Set<String> services) {}

  /**
   * Reads {@code text}: a mesh document, or Kubernetes manifests (several documents separated by
   * {@code ---}) of the kinds imported.
   *
   * @throws dev.meshwork.config.internal.Issue.Refused naming what is wrong
   */
  public static Parsed parse(String text, String source) {
    if (!mayHoldManifests(text)) {
      return new Parsed(DocumentReader.read(text, source), null);
    }
    List<Read> documents = DocumentReader.readAll(text, source);
    boolean manifests = false;
    for (Read document : documents) {
      String kind = document.root().path("kind").asText("");
      manifests |= importable(document.root()) || ROUTING_KINDS.contains(kind);
    }
    if (!manifests) {
      return new Parsed(DocumentReader.read(text, source), null);
    }
    Map<String, Location> locations = new HashMap<>();
    Problems problems = new Problems(source, locations);
    List<Manifest> read = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      Read document = documents.get(i);
      ObjectNode root = document.root();
      String kind = root.path("kind").asText("");
      String where = "document " + (i + 1);
      Location at = Problems.nearest(document.locations(), "kind");
      locations.put(where, at == null ? new Location(source, 0, 0) : at);
      if (!importable(root) && !isService(root)) {
        problems.add(
            where,
            kind.isEmpty() ? "no kind" : kind + " (" + root.path("apiVersion").asText() + ")",
            KINDS);
        continue;
      }
      JsonNode name = root.path("metadata").path("name");
      if (!name.isTextual() || name.asText().isBlank()) {
        problems.add(where, kind, "metadata.name, the object's name");
        continue;
      }
      JsonNode namespace = root.path("metadata").path("namespace");
      read.add(
          new Manifest(
              source,
              kind,
              name.asText(),
              namespace.isTextual() ? namespace.asText() : "default",
              root,
              document.locations()));
    }
    problems.throwIfAny();
    return new Parsed(null, new Batch(read));
  }

  /**
   * Translates the objects of {@code batches} together (a VirtualService may name the subsets of a
   * DestinationRule in another file).
   *
   * @param strict whether a field left out refuses the import
   * @throws dev.meshwork.config.internal.Issue.Refused naming every error
   */
  public static Imported translate(List<Batch> batches, boolean strict) {
    List<Manifest> all = new ArrayList<>();
    Set<String> sources = new LinkedHashSet<>();
    batches.forEach(b -> all.addAll(b.manifests));
    all.forEach(m -> sources.add(m.source()));
    Report report = new Report(sources.iterator().next(), strict);
    Context context = new Context(report);
    all.forEach(report::register);
    for (Manifest manifest : all) {
      Node root = Node.of(manifest, "", manifest.root(), report);
      root.pass("apiVersion", "kind", "metadata", "status", "spec");
      root.finish();
      if (manifest.kind().equals("Service")) {
        service(manifest, context);
      }
    }
    all.stream()
        .filter(m -> m.kind().equals("DestinationRule"))
        .forEach(m -> IstioPolicy.subsets(m, context));
    for (Manifest manifest : all) {
      switch (manifest.kind()) {
        case "DestinationRule" -> IstioPolicy.destinationRule(manifest, context);
        case "VirtualService" -> IstioRoutes.virtualService(manifest, context);
        case "HTTPRoute" -> GatewayRoutes.httpRoute(manifest, context);
        default -> {}
      }
    }
    report.throwIfAny();
    Read read = context.out.read(String.join(" + ", sources));
    Set<String> services = new LinkedHashSet<>();
    read.root().path("services").fieldNames().forEachRemaining(services::add);
    return new Imported(read, report.notes(), services);
  }

  /**
   * The mesh documents and the fields the import left out.
   *
   * @param read the merged document
   * @param notes the fields left out
   */
  public record Merged(Read read, List<ImportNote> notes) {}

  /**
   * Imports {@code batches} (if any) as one document at position {@code at} of {@code documents},
   * and merges them all, later over earlier.
   *
   * @throws dev.meshwork.config.internal.Issue.Refused naming every problem
   */
  public static Merged merge(List<Read> documents, List<Batch> batches, int at, boolean strict) {
    List<Read> all = new ArrayList<>(documents);
    Imported imported = null;
    if (!batches.isEmpty()) {
      imported = translate(batches, strict);
      all.add(at, imported.read());
    }
    Read merged = all.size() == 1 ? all.get(0) : Merge.merge(all);
    if (imported == null) {
      return new Merged(merged, List.of());
    }
    requireDiscovery(merged, imported);
    return new Merged(merged, imported.notes());
  }

  /**
   * Refuses a merged document in which an imported service has no discovery: routes and policies
   * say how to call a service, not where its endpoints are.
   */
  public static void requireDiscovery(Read merged, Imported imported) {
    Problems problems = new Problems(merged.source(), merged.locations());
    for (String service : imported.services()) {
      JsonNode entry = merged.root().path("services").path(service);
      if (!entry.has("discovery")) {
        problems.add(
            DocPath.child(Out.servicePath(service), "discovery"),
            null,
            "a discovery for service '"
                + service
                + "': the imported objects say how to call it, not where its endpoints are; load a"
                + " mesh document that declares services."
                + service
                + ".discovery before them (meshwork config lint --merged mesh.yaml routes.yaml)");
      }
    }
    problems.throwIfAny();
  }

  /** Claims the routes of {@code service} for {@code manifest}; false when another has them. */
  static boolean routes(Context context, String service, Manifest manifest, Node spec) {
    String previous = context.routedBy.putIfAbsent(service, manifest.label());
    if (previous == null) {
      return true;
    }
    context.report.error(
        manifest,
        spec.path,
        manifest.label(),
        "one object routing service '"
            + service
            + "' ("
            + previous
            + " routes it already; Meshwork keeps one ordered route list per service)");
    return false;
  }

  /** Writes the routes of {@code service}, each located at the imported route it came from. */
  static void writeRoutes(Context context, String service, Location at, List<Built> routes) {
    ObjectNode entry = context.out.service(service, at);
    String path = Out.servicePath(service);
    ArrayNode list = Context.array();
    routes.forEach(route -> list.add(route.node));
    context.out.put(entry, path, "routes", list, at);
    for (int i = 0; i < routes.size(); i++) {
      routes.get(i).locate(context.out, DocPath.index(DocPath.child(path, "routes"), i));
    }
  }

  private static void service(Manifest manifest, Context context) {
    Map<String, String> labels = new LinkedHashMap<>();
    manifest
        .root()
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    context.selectors.put(manifest.name(), labels);
  }

  /** A cheap look before the full read: mesh documents rarely mention these words. */
  private static boolean mayHoldManifests(String text) {
    return text.contains(GATEWAY)
        || text.contains(ISTIO)
        || text.contains("HTTPRoute")
        || text.contains("VirtualService")
        || text.contains("DestinationRule");
  }

  private static boolean importable(JsonNode root) {
    String api = root.path("apiVersion").asText("");
    String kind = root.path("kind").asText("");
    return switch (kind) {
      case "HTTPRoute" -> api.equals(GATEWAY + "v1") || api.equals(GATEWAY + "v1beta1");
      case "VirtualService", "DestinationRule" ->
          api.equals(ISTIO + "v1")
              || api.equals(ISTIO + "v1beta1")
              || api.equals(ISTIO + "v1alpha3");
      default -> false;
    };
  }

  private static boolean isService(JsonNode root) {
    return root.path("kind").asText("").equals("Service")
        && root.path("apiVersion").asText("").equals("v1");
  }
}
