package dev.meshwork.core.spi;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.internal.MeshAccess;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a transport attaches to a {@link Mesh}: the mesh hands its {@link TransportContext} to the
 * transport's factory once and keeps the result, so a mesh has one instance of each transport type
 * (one connection pool, one dispatcher).
 *
 * <pre>{@code
 * public static MyTransport of(Mesh mesh) {
 *   return MeshTransports.attach(mesh, MyTransport.class, MyTransport::new);
 * }
 * }</pre>
 */
public final class MeshTransports {
  private MeshTransports() {}

  /**
   * Returns {@code mesh}'s single instance of {@code type}, creating it from the mesh's context
   * with {@code factory} on first use. When the instance is {@link AutoCloseable} the mesh closes
   * it on {@link Mesh#close()}, most recently created first.
   *
   * @throws IllegalStateException when the mesh is closed
   */
  public static <T> T attach(
      Mesh mesh, Class<T> type, Function<TransportContext, ? extends T> factory) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(factory, "factory");
    return MeshAccess.get().attach(mesh, type, factory);
  }
}
