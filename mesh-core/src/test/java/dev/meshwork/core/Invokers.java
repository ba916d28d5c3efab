package dev.meshwork.core;

import dev.meshwork.core.internal.ServiceGeneration;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;

/** Tests call the pipeline as a transport does, through the mesh's transport context. */
public final class Invokers {
  private Invokers() {}

  /** The invoker for {@code host}, or {@code null} when it is not a service of {@code mesh}. */
  public static ServiceInvoker of(Mesh mesh, String host) {
    return context(mesh).invoker(host);
  }

  /** The context {@code mesh} gives its transports. */
  public static TransportContext context(Mesh mesh) {
    return MeshTransports.attach(mesh, TransportContext.class, context -> context);
  }

  /** The live side of service {@code host} of {@code mesh}. */
  public static ServiceRuntime runtime(Mesh mesh, String host) {
    return ((ServiceGeneration) of(mesh, host)).runtime();
  }
}
