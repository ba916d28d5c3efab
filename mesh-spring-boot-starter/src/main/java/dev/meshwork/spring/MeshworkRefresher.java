package dev.meshwork.spring;

import dev.meshwork.config.LiveConfig;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.spring.internal.MeshSetup;
import java.util.Optional;

/**
 * Applies changed {@code meshwork.*} properties to the running mesh: call {@link #refresh()} after
 * the environment changed (Spring Cloud's {@code EnvironmentChangeEvent} calls it by itself when
 * spring-cloud-context is present). A mesh from a {@code file:} document needs no call: the file is
 * watched.
 */
public final class MeshworkRefresher implements AutoCloseable {
  private final Mesh mesh;
  private final MeshSetup setup;
  private final Optional<LiveConfig> watch;

  MeshworkRefresher(Mesh mesh, MeshSetup setup, Optional<LiveConfig> watch) {
    this.mesh = mesh;
    this.setup = setup;
    this.watch = watch;
  }

  /**
   * Re-reads the configuration and applies it whole, or refuses it whole: the mesh runs on, and the
   * returned status (also {@code mesh.configStatus()} and the Actuator endpoint) names each wrong
   * property. Unchanged properties change nothing.
   *
   * @return the mesh's configuration status afterwards
   */
  public ConfigStatus refresh() {
    if (watch.isPresent()) {
      return watch.get().refresh();
    }
    return setup.refresh(mesh);
  }

  /** Stops watching a file document; the mesh itself closes with the context. */
  @Override
  public void close() {
    watch.ifPresent(LiveConfig::close);
  }
}
