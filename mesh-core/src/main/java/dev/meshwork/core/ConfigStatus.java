package dev.meshwork.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which configuration a running mesh uses and how the last attempt to change it went: read it with
 * {@link Mesh#configStatus()}; the admin endpoint shows it on {@code /config}. Immutable.
 *
 * <p>A mesh made by {@link MeshBuilder} starts at generation 1 with source {@value #BUILDER} and
 * version {@code "1"}. Each successful {@link dev.meshwork.core.spi.MeshConfigurer#apply apply}
 * adds one to the generation and records its source, version and time. A failed or rejected attempt
 * changes none of those: it sets {@link #lastError()}, which stays until a later apply succeeds, so
 * a bad document is visible for as long as the mesh runs on the previous one. {@link
 * Mesh#replaceRoutes} is not an apply and leaves the status as it is.
 *
 * @param source where the configuration in use came from, for example a file path or {@value
 *     #BUILDER}
 * @param version the version its source gave it (a file's content hash, a ConfigMap's resource
 *     version, ...)
 * @param generation 1 for the built mesh, one more for each successful apply
 * @param appliedAt when it was applied, by the mesh clock's wall time
 * @param lastError why the most recent attempt failed, when it did and no apply succeeded since
 * @param warnings what the source of the configuration in use could not honour, each naming where
 *     (an xDS field Meshwork does not support, a lint finding); set by each successful apply, kept
 *     through refused ones; empty when none
 */
public record ConfigStatus(
    String source,
    String version,
    long generation,
    Instant appliedAt,
    Optional<ConfigError> lastError,
    List<String> warnings) {

  /** The source of a mesh's configuration when it was made by {@link MeshBuilder}. */
  public static final String BUILDER = "builder";

  public ConfigStatus {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(lastError, "lastError (Optional.empty() for none)");
    warnings = List.copyOf(warnings);
    if (generation < 1) {
      throw new IllegalArgumentException("generation: " + generation + "; expected 1 or more");
    }
  }

  /** A status without warnings. */
  public ConfigStatus(
      String source,
      String version,
      long generation,
      Instant appliedAt,
      Optional<ConfigError> lastError) {
    this(source, version, generation, appliedAt, lastError, List.of());
  }

  /**
   * A configuration that was refused: by the mesh's validation in {@code apply}, or before it
   * reached the mesh (a parse or schema error reported with {@code rejected}).
   *
   * @param source where the refused configuration came from
   * @param version the version its source gave it
   * @param message what was wrong, naming the service, the field, the value and what was expected
   * @param at when it was refused, by the mesh clock's wall time
   */
  public record ConfigError(String source, String version, String message, Instant at) {
    public ConfigError {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }
  }
}
