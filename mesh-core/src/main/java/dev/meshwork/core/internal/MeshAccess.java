package dev.meshwork.core.internal;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import java.util.function.Function;

/**
 * Lets {@code dev.meshwork.core.spi} reach what {@link Mesh} keeps package-private, so that
 * transport hooks are not public methods of {@code Mesh}. {@code Mesh} installs it when its class
 * is initialized, which has happened before anyone holds a mesh.
 */
public abstract class MeshAccess {
  private static volatile MeshAccess installed;

  /** Called once, by {@code Mesh}. */
  public static synchronized void install(MeshAccess access) {
    if (installed != null) {
      throw new IllegalStateException("MeshAccess is installed by Mesh only");
    }
    installed = access;
  }

  public static MeshAccess get() {
    MeshAccess access = installed;
    if (access == null) {
      throw new IllegalStateException("Mesh is not initialized");
    }
    return access;
  }

  /** See {@code MeshTransports.attach}. */
  public abstract <T> T attach(
      Mesh mesh, Class<T> type, Function<TransportContext, ? extends T> factory);

  /** See {@code MeshConfigurer.of}. */
  public abstract MeshConfigurer configurer(Mesh mesh);
}
