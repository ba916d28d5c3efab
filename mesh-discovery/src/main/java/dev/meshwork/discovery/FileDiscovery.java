package dev.meshwork.discovery;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.discovery.internal.FileWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Endpoints from a JSON or YAML file, re-read when it changes: the way a mounted ConfigMap or a
 * secrets-store volume delivers data. One file can list many services:
 *
 * <pre>{@code
 * services:
 *   mathoid:
 *     - address: 10.64.0.11:10044
 *       weight: 2
 *       zone: eqiad-a
 *       labels: {version: v2}
 *     - host: 10.64.0.12
 *       port: 10044
 * }</pre>
 *
 * <pre>{@code
 * DiscoverySource file = FileDiscovery.builder(Path.of("/etc/meshwork/endpoints.yaml")).build();
 * Mesh mesh = Mesh.builder().service("mathoid", s -> s.discovery(file)).build();
 * }</pre>
 *
 * <p>The file is read (default every {@value #DEFAULT_POLL_MILLIS} ms) and parsed again when its
 * modification time, size, inode or content (SHA-256) changed, so link swaps, atomic renames and
 * rewrites within one timestamp tick all count; writes that land between two polls become one
 * update. A file that cannot be read or parsed, or that does not list the service, is reported
 * (with the path and, for syntax and value errors, the line) and the last good endpoints stay in
 * use. An explicitly empty list ({@code mathoid: []}) is an answer: the service has no instances.
 */
public final class FileDiscovery implements DiscoverySource {
  /** Default poll interval in milliseconds. */
  public static final long DEFAULT_POLL_MILLIS = 2000;

  /** How the file is written. */
  public enum Format {
    JSON,
    YAML
  }

  private final Path path;
  private final Format format;
  private final Duration pollInterval;

  private FileDiscovery(Path path, Format format, Duration pollInterval) {
    this.path = path;
    this.format = format;
    this.pollInterval = pollInterval;
  }

  /** Starts a builder for the file at {@code path}. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** The file read. */
  public Path path() {
    return path;
  }

  /** How the file is written. */
  public Format format() {
    return format;
  }

  /** How often the file is checked for a new version. */
  public Duration pollInterval() {
    return pollInterval;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    return new FileWatch(
        path,
        format == Format.YAML,
        describe(),
        service,
        listener,
        context.scheduler(),
        pollInterval);
  }

  @Override
  public String describe() {
    return "file[" + path + "]";
  }

  /**
   * Equal when the file, format and poll interval are: a config swap keeps the running watch of an
   * equal source rather than starting another.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof FileDiscovery that
        && path.equals(that.path)
        && format == that.format
        && pollInterval.equals(that.pollInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, format, pollInterval);
  }

  /** Collects the settings of a {@link FileDiscovery}; {@link #build()} validates them. */
  public static final class Builder {
    private final Path path;
    private Format format;
    private Duration pollInterval = Duration.ofMillis(DEFAULT_POLL_MILLIS);

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * The file's format; by default YAML for names ending in {@code .yaml} or {@code .yml}, else
     * JSON.
     */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * How often the file is checked for a new version; default {@value
     * FileDiscovery#DEFAULT_POLL_MILLIS} ms.
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Validates and returns the source. */
    public FileDiscovery build() {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new MeshConfigException(
            "file discovery " + path + " pollInterval", pollInterval, "a positive duration");
      }
      String name =
          path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
      Format chosen =
          format != null
              ? format
              : name.endsWith(".yaml") || name.endsWith(".yml") ? Format.YAML : Format.JSON;
      return new FileDiscovery(path, chosen, pollInterval);
    }
  }
}
