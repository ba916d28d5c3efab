package dev.meshwork.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.BuildFailure;
import dev.meshwork.config.internal.Candidate;
import dev.meshwork.config.internal.DocumentReader;
import dev.meshwork.config.internal.DocumentReader.Read;
import dev.meshwork.config.internal.Explain;
import dev.meshwork.config.internal.Identity;
import dev.meshwork.config.internal.Location;
import dev.meshwork.config.internal.Merge;
import dev.meshwork.config.internal.MeshCompiler;
import dev.meshwork.config.internal.MeshCompiler.Compiled;
import dev.meshwork.config.internal.MeshRenderer;
import dev.meshwork.config.internal.MeshSettings;
import dev.meshwork.config.internal.PlanDiff;
import dev.meshwork.config.internal.Problems;
import dev.meshwork.config.internal.SourceText;
import dev.meshwork.config.internal.imports.ImportNote;
import dev.meshwork.config.internal.imports.Importer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * A mesh described as data: the document {@code apiVersion: meshwork.dev/v1alpha1}, {@code kind:
 * Mesh}, in YAML or JSON, parsed, checked against its JSON Schema and compiled onto the builder API
 * before anything is returned. Immutable.
 *
 * <pre>{@code
 * MeshConfig config = MeshConfig.parse("""
 *     apiVersion: meshwork.dev/v1alpha1
 *     kind: Mesh
 *     services:
 *       mathoid:
 *         discovery: {static: ["127.0.0.1:8081"]}
 *         timeouts: {overall: 2s}
 *     """, "mesh.yaml");
 * try (Mesh mesh = config.build()) {
 *   // MeshOkHttp.of(mesh).client() ...
 * }
 * }</pre>
 *
 * <p>Builder and document are two views of one model: {@link #of(Mesh)} renders any running mesh,
 * builder-made included, as its effective document, and {@link #toYaml()} of that loads back to an
 * equal config. Where a document cannot express a setting (a custom {@code LoadBalancerFactory},
 * {@code DiscoverySource} or certificate source) the rendering says so in an {@code unexpressible}
 * field, which loading refuses, rather than dropping it.
 *
 * <p>Two configs are equal when their effective documents are.
 */
public final class MeshConfig {
  /** Settings a built mesh does not keep, by the meshes {@link #build()} made. */
  private static final Map<Mesh, MeshSettings> BUILT =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeshSettings settings;
  private final List<ServiceConfig> services;

  /**
   * The effective document, rendered when first asked for: a live apply of a large document needs
   * its services only. Rendering twice in a race gives equal trees, so no lock is taken.
   */
  private volatile ObjectNode effective;

  private final Map<String, Location> origins;
  private final String fallbackOrigin;
  private final List<ImportNote> notes;

  /**
   * How fields of imported Kubernetes objects that Meshwork does not honour are treated. Fields
   * that would route or secure calls differently than written refuse the import in either mode.
   */
  public enum Imports {
    /** Each such field is left out and reported as a warning by {@link #lint()} (MW113). */
    LENIENT,
    /** Each such field refuses the import, as an error naming it. */
    STRICT
  }

  private MeshConfig(
      MeshSettings settings,
      List<ServiceConfig> services,
      Map<String, Location> origins,
      String fallbackOrigin) {
    this(settings, services, origins, fallbackOrigin, List.of());
  }

  private MeshConfig(
      MeshSettings settings,
      List<ServiceConfig> services,
      Map<String, Location> origins,
      String fallbackOrigin,
      List<ImportNote> notes) {
    this.notes = List.copyOf(notes);
    this.settings = settings;
    this.services = List.copyOf(services);
    this.origins = origins;
    this.fallbackOrigin = fallbackOrigin;
  }

  /**
   * Parses, checks and compiles one document; {@code sourceName} names it in problems (and, ending
   * in {@code .json}, makes it JSON; otherwise text starting with <code>{</code> is JSON and the
   * rest YAML).
   *
   * @throws ConfigDocumentException listing every problem, each with line, column and field path
   */
  public static MeshConfig parse(String text, String sourceName) {
    return parse(text, sourceName, Imports.LENIENT);
  }

  /**
   * {@link #parse(String, String)}, and when {@code text} holds Kubernetes objects (Gateway API
   * {@code HTTPRoute}, Istio {@code VirtualService} and {@code DestinationRule}) rather than a mesh
   * document, imports them as {@link #load(Imports, Path...)} does. An imported service needs a
   * discovery, which only a mesh document gives: load both to build a mesh.
   */
  public static MeshConfig parse(String text, String sourceName, Imports imports) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(imports, "imports");
    return DocumentIo.checked(
        () -> {
          Importer.Parsed parsed = Importer.parse(text, sourceName);
          if (parsed.mesh() != null) {
            return compile(parsed.mesh());
          }
          return assemble(List.of(), List.of(parsed.objects()), 0, imports);
        });
  }

  /**
   * Reads and merges {@code files} in order, later over earlier (a base, then its overrides), and
   * compiles the result. Merging is JSON Merge Patch (RFC 7396): mappings merge by key, {@code
   * null} removes a key, and any other value, lists included, replaces the earlier one. Each file
   * is one document of at most {@value DocumentReader#MAX_SIZE} bytes, checked before it is read.
   *
   * @throws ConfigDocumentException when a file cannot be read, is too large, or the merged
   *     document has problems
   */
  public static MeshConfig load(Path... files) {
    return load(Imports.LENIENT, files);
  }

  /**
   * {@link #load(Path...)}, where a file may instead hold Kubernetes manifests (YAML documents
   * separated by {@code ---}): Gateway API {@code HTTPRoute} attached to a Service, Istio {@code
   * VirtualService} and {@code DestinationRule}, and {@code Service} objects whose selectors name
   * subsets. They are imported together as one mesh document, merged where the first of them
   * stands, so a mesh document with the services' discovery comes first:
   *
   * <pre>{@code
   * MeshConfig config = MeshConfig.load(MeshConfig.Imports.STRICT,
   *     Path.of("mesh.yaml"), Path.of("reviews-istio.yaml"));
   * }</pre>
   *
   * A field Meshwork does not honour is reported by {@link #lint()} (MW113) and left out, or with
   * {@link Imports#STRICT} refuses the files; docs/config/importers.md lists every field.
   *
   * @throws ConfigDocumentException when a file cannot be read or imported, or the merged document
   *     has problems
   */
  public static MeshConfig load(Imports imports, Path... files) {
    Objects.requireNonNull(imports, "imports");
    if (files.length == 0) {
      throw new IllegalArgumentException("load needs at least one file");
    }
    return DocumentIo.checked(
        () -> {
          List<Read> documents = new ArrayList<>();
          List<Importer.Batch> batches = new ArrayList<>();
          int at = -1;
          for (Path file : files) {
            Importer.Parsed parsed = Importer.parse(DocumentIo.text(file), file.toString());
            if (parsed.mesh() != null) {
              documents.add(parsed.mesh());
            } else {
              at = at < 0 ? documents.size() : at;
              batches.add(parsed.objects());
            }
          }
          return assemble(documents, batches, at, imports);
        });
  }

  /** Imports {@code batches} at position {@code at} of {@code documents}, merges and compiles. */
  private static MeshConfig assemble(
      List<Read> documents, List<Importer.Batch> batches, int at, Imports imports) {
    Importer.Merged merged = Importer.merge(documents, batches, at, imports == Imports.STRICT);
    Read read = merged.read();
    Compiled compiled = MeshCompiler.compile(read.root(), read.source(), read.locations());
    return new MeshConfig(
        compiled.settings(), compiled.services(), read.locations(), "default", merged.notes());
  }

  /**
   * Parses the class-path resource {@code resource} (such as {@code meshwork/mesh.yaml}).
   *
   * @throws ConfigDocumentException when it is missing, too large or has problems
   */
  public static MeshConfig fromClasspath(String resource) {
    return parse(DocumentIo.resourceText(resource), "classpath:" + resource);
  }

  /**
   * The effective configuration of a running {@code mesh}, however it was made: every service's
   * policies with defaults filled in, and the mesh-wide settings it keeps. The random seed, the
   * discovery wait of {@code build()} and the admin section are not kept by a mesh: they show as in
   * the document when {@link #build()} made the mesh, and as unset otherwise.
   */
  public static MeshConfig of(Mesh mesh) {
    List<ServiceConfig> configs = new ArrayList<>();
    for (var name : mesh.services()) {
      configs.add(mesh.config(name.value()));
    }
    MeshSettings settings = MeshRenderer.settings(mesh, Optional.ofNullable(BUILT.get(mesh)));
    return new MeshConfig(settings, configs, Map.of(), "running mesh");
  }

  /** The services, in the document's order, compiled and validated. */
  public List<ServiceConfig> services() {
    return services;
  }

  /** The {@code mesh.admin} section; empty when the document has none. */
  public Optional<AdminSettings> admin() {
    return settings
        .admin()
        .map(
            a ->
                new AdminSettings(
                    a.port(), a.bindAddress(), a.allowNonLoopback(), a.allowedHosts()));
  }

  /**
   * A mesh builder holding this configuration, so code can add what a document cannot hold
   * (telemetry objects, a clock, services of its own) before {@code build()}. The identity's
   * certificate source is created here (it reads its files and starts renewing) on the system
   * clock; the mesh closes it.
   *
   * @throws ConfigDocumentException when the identity's files cannot be used
   */
  public MeshBuilder meshBuilder() {
    return meshBuilder(MeshClock.system());
  }

  /** {@link #meshBuilder()} with {@code clock} for the mesh and its certificate source. */
  public MeshBuilder meshBuilder(MeshClock clock) {
    return DocumentIo.checked(() -> newBuilder(clock));
  }

  private MeshBuilder newBuilder(MeshClock clock) {
    MeshBuilder builder = Mesh.builder().clock(clock);
    MeshCompiler.apply(settings, builder);
    settings
        .identity()
        .ifPresent(
            identity ->
                builder.security(
                    Identity.build(identity, clock, new Problems(fallbackOrigin, origins))));
    services.forEach(builder::service);
    return builder;
  }

  /** Builds and starts the mesh this configuration describes. */
  public Mesh build() {
    return build(builder -> {});
  }

  /**
   * Builds and starts the mesh this configuration describes, after {@code customizer} has added
   * what a document cannot hold (the application's meter registry or OpenTelemetry). A mesh built
   * here keeps its document's mesh-wide settings, so a {@link LiveConfig} can tell an unchanged
   * {@code mesh} section from a changed one; a mesh from {@link #meshBuilder()} cannot.
   *
   * <pre>{@code
   * Mesh mesh = config.build(builder -> builder.telemetry(Telemetry.builder()
   *     .meterRegistry(prometheusRegistry).build()));
   * }</pre>
   */
  public Mesh build(Consumer<? super MeshBuilder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    MeshBuilder builder = meshBuilder();
    customizer.accept(builder);
    Mesh mesh;
    try {
      mesh = builder.build();
    } catch (MeshConfigException e) {
      // What only the built mesh checks (peer identities against its security), placed at the
      // service it concerns.
      Problems problems = new Problems(fallbackOrigin, origins);
      problems.add(BuildFailure.path(e), e);
      DocumentIo.checked(
          () -> {
            problems.throwIfAny();
            return null;
          });
      throw e;
    }
    BUILT.put(mesh, settings);
    return mesh;
  }

  /** The effective document in YAML: every setting, defaults included. */
  public String toYaml() {
    try {
      return DocumentIo.Writers.YAML.writeValueAsString(effective());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The effective document in JSON. */
  public String toJson() {
    try {
      return DocumentIo.Writers.JSON.writeValueAsString(effective());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The effective configuration, one setting a line ({@code path = value # origin}), every default
   * shown and settings left unset as {@code none}; the origin is the file, line and column that set
   * the value, or {@code default}.
   */
  public String explain() {
    return Explain.explain(effective(), origins, fallbackOrigin);
  }

  /**
   * Checks this config for settings that load but are unlikely to do what they seem to: retries
   * that cannot happen, routes that are never used, subsets without endpoints, faults that hit real
   * users, safety nets turned off (docs/config/lint-rules.md lists the rules). A document that does
   * not load at all is linted by {@link ConfigLint}.
   *
   * <pre>{@code
   * List<LintFinding> findings = MeshConfig.fromClasspath("meshwork/mesh.yaml").lint();
   * findings.forEach(System.out::println); // mesh.yaml:14:9: warning MW111 ...
   * }</pre>
   *
   * @return the findings, gravest first, then in document order; empty when there are none
   */
  public List<LintFinding> lint() {
    return LintFindings.of(
        notes, services, settings.identity().isPresent(), origins, fallbackOrigin);
  }

  /**
   * What applying {@code candidate} over {@code current} would change, setting by setting with
   * defaults filled in, and the candidate's lint findings. {@code current} is often {@link
   * #of(Mesh)} of the running mesh, or the file in force.
   */
  public static ConfigPlan plan(MeshConfig current, MeshConfig candidate) {
    List<ConfigPlan.Change> changes = new ArrayList<>();
    for (PlanDiff.Change change : PlanDiff.diff(current.effective(), candidate.effective())) {
      changes.add(
          new ConfigPlan.Change(
              ConfigPlan.Change.Kind.valueOf(change.kind().name()),
              change.scope(),
              change.setting(),
              change.before(),
              change.after()));
    }
    return new ConfigPlan(changes, candidate.lint());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MeshConfig that && effective().equals(that.effective());
  }

  @Override
  public int hashCode() {
    return effective().hashCode();
  }

  @Override
  public String toString() {
    return "MeshConfig{" + services.size() + " services}";
  }

  /** A live source's documents merged in order, checked and compiled, with their version. */
  static Candidate candidate(List<SourceText> texts) {
    return DocumentIo.checked(
        () -> {
          List<Read> documents = new ArrayList<>();
          for (SourceText text : texts) {
            documents.add(DocumentReader.read(text.text(), text.name()));
          }
          Read merged = documents.size() == 1 ? documents.get(0) : Merge.merge(documents);
          MeshConfig config = compile(merged);
          JsonNode version = merged.root().path("metadata").path("version");
          return new Candidate(
              config.services,
              merged.root().has("mesh") ? Optional.of(config.meshSection()) : Optional.empty(),
              version.isTextual() ? Optional.of(version.asText()) : Optional.empty(),
              config.lint().stream()
                  .filter(finding -> finding.severity() != LintFinding.Severity.INFO)
                  .map(LintFinding::toString)
                  .toList());
        });
  }

  /**
   * The {@code mesh} section a live document is compared with: that of the document {@link
   * #build(Consumer)} made {@code mesh} from (its customizer may add telemetry the document does
   * not state), else the running mesh's.
   */
  static JsonNode runningMeshSection(Mesh mesh) {
    MeshSettings built = BUILT.get(mesh);
    return built != null ? MeshRenderer.mesh(built) : of(mesh).meshSection();
  }

  /** The effective {@code mesh} section. */
  JsonNode meshSection() {
    ObjectNode rendered = effective;
    return rendered != null ? rendered.path("mesh") : MeshRenderer.mesh(settings);
  }

  private ObjectNode effective() {
    ObjectNode rendered = effective;
    if (rendered == null) {
      rendered = MeshRenderer.render(settings, services);
      effective = rendered;
    }
    return rendered;
  }

  private static MeshConfig compile(Read document) {
    Compiled compiled =
        MeshCompiler.compile(document.root(), document.source(), document.locations());
    return new MeshConfig(
        compiled.settings(), compiled.services(), document.locations(), "default");
  }
}
