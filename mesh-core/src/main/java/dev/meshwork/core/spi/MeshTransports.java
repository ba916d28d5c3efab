package dev.meshwork.core.spi;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.internal.MeshAccess;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How a transport attaches to a {@link Mesh}: the mesh hands its {@link TransportContext} to the
 * transport's factory once and keeps the result, so a mesh has one instance of each transport type
 * (one connection pool, one dispatcher). Through the context a transport finds each service's
 * {@link ServiceInvoker} and registers the {@link HealthProber} that sends health checks.
 *
 * <pre>{@code
 * final class MyTransport {
 *   private final MeshTransports.TransportContext context;
 *
 *   private MyTransport(MeshTransports.TransportContext context) {
 *     this.context = context;
 *   }
 *
 *   public static MyTransport of(Mesh mesh) {
 *     return MeshTransports.attach(mesh, MyTransport.class, MyTransport::new);
 *   }
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

  /**
   * What a transport gets from the mesh it sends calls for: the pipeline of each service, the
   * policy for hosts that are not services, the mesh's clock and telemetry, and the place to
   * register how health checks are sent. A transport receives it once, from {@link
   * MeshTransports#attach}, and keeps it.
   */
  public interface TransportContext {

    /**
     * The pipeline for calls whose URL host is {@code host}, or {@code null} when {@code host} is
     * not a service of this mesh (such calls leave the mesh, once {@link #admitUnknownHost} lets
     * them). The invoker's {@link ServiceInvoker#clientTls()} is how the service's calls are
     * secured.
     */
    ServiceInvoker invoker(String host);

    /**
     * Before a call whose host has no {@linkplain #invoker invoker} is sent: returns when the call
     * may leave the mesh, throws when the mesh's {@link
     * dev.meshwork.core.MeshBuilder.UnknownHostPolicy} refuses its host.
     *
     * @throws UnknownMeshHostException naming the host and the configured services
     */
    void admitUnknownHost(String host) throws UnknownMeshHostException;

    /** The names of the configured services, sorted. */
    Set<ServiceName> services();

    /** The mesh's clock. */
    MeshClock clock();

    /** Where the mesh's traces and metrics go. */
    Telemetry telemetry();

    /**
     * Registers how active health checks are sent, and starts them for every service that
     * configured one. The first registration wins; later ones are ignored, so several transports on
     * one mesh probe only once.
     *
     * @return whether this prober was taken
     */
    boolean useHealthProber(HealthProber prober);
  }

  /**
   * How a transport sends one active health-check probe: {@code GET path} straight to {@code
   * endpoint}, secured as the service's calls are, bounded by {@code timeout}. Asynchronous, so the
   * mesh's single background thread can probe many endpoints at once. A transport registers itself
   * with {@link TransportContext#useHealthProber}.
   */
  @FunctionalInterface
  public interface HealthProber {

    /** Completes with the HTTP status of the answer, or exceptionally when there was none. */
    CompletionStage<Integer> probe(
        ServiceName service, Endpoint endpoint, String path, Duration timeout);
  }
}
