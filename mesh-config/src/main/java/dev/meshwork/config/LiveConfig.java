package dev.meshwork.config;

import dev.meshwork.config.internal.ConfigWatch;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Keeps a running mesh's services in step with live {@link MeshConfigSource}s: their documents,
 * merged in order, are parsed, checked and compiled whole, then applied with {@link
 * dev.meshwork.core.spi.MeshConfigurer#apply} (every service at once, or none). Close it to stop.
 *
 * <pre>{@code
 * Mesh mesh = MeshConfig.load(Path.of("/etc/meshwork/mesh.yaml")).build();
 * try (LiveConfig live = LiveConfig.watch(mesh, Duration.ofSeconds(1),
 *     MeshConfigSource.directory(Path.of("/etc/meshwork")))) {
 *   System.out.println(mesh.configStatus());
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code watch} reads and applies the sources once before it returns, then reads them every
 *       {@code pollInterval} on a thread of its own. A change (any document's name or text) is
 *       applied once the sources have read the same for a poll interval by the mesh's clock, so a
 *       burst of writes applies once. Content read before is not applied again.
 *   <li>The version recorded is the document's {@code metadata.version}, else {@code sha256:} and
 *       the start of the content's hash.
 *   <li>A document that does not parse, check or apply, a source that cannot be read, and a change
 *       to the {@code mesh} section (identity, zone, telemetry, admin, ...: fixed when the mesh was
 *       built; restart to apply) are refused whole: the running configuration stays, {@link
 *       Mesh#configStatus()} and the admin endpoint show the error (file, line, field), and one
 *       WARN line is logged. A document without a {@code mesh} section leaves the mesh-wide
 *       settings as they are.
 * </ul>
 */
public final class LiveConfig implements AutoCloseable {
  private final ConfigWatch watch;

  private LiveConfig(ConfigWatch watch) {
    this.watch = watch;
  }

  /**
   * Starts watching {@code sources} (later ones merge over earlier ones) for {@code mesh}.
   *
   * @param pollInterval how often the sources are read, and how long a change must stay unchanged
   *     before it applies
   */
  public static LiveConfig watch(Mesh mesh, Duration pollInterval, MeshConfigSource... sources) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval: " + pollInterval + "; expected > 0");
    }
    if (sources.length == 0) {
      throw new IllegalArgumentException("watch needs at least one source");
    }
    List<ConfigWatch.Reader> readers = new ArrayList<>();
    for (MeshConfigSource source : sources) {
      readers.add(Sources.reader(Objects.requireNonNull(source, "source")));
    }
    String name =
        List.of(sources).stream().map(MeshConfigSource::name).collect(Collectors.joining(" + "));
    return new LiveConfig(
        new ConfigWatch(
            mesh,
            name,
            readers,
            MeshConfig::candidate,
            MeshConfig.runningMeshSection(mesh),
            pollInterval));
  }

  /** Reads the sources now, as a poll does, and returns the mesh's status afterwards. */
  public ConfigStatus refresh() {
    return watch.poll();
  }

  /** Stops watching; the mesh keeps the configuration it has. */
  @Override
  public void close() {
    watch.close();
  }
}
