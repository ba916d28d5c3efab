package dev.meshwork.core.spi;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.core.transport.HealthProber;
import dev.meshwork.core.transport.ServiceInvoker;
import java.util.Set;

/**
 * What a transport gets from the mesh it sends calls for: the pipeline of each service, the policy
 * for hosts that are not services, the mesh's clock and telemetry, and the place to register how
 * health checks are sent. A transport receives it once, from {@link MeshTransports#attach}, and
 * keeps it.
 */
public interface TransportContext {

  /**
   * The pipeline for calls whose URL host is {@code host}, or {@code null} when {@code host} is not
   * a service of this mesh (such calls leave the mesh, once {@link #admitUnknownHost} lets them).
   * The invoker's {@link ServiceInvoker#clientTls()} is how the service's calls are secured.
   */
  ServiceInvoker invoker(String host);

  /**
   * Before a call whose host has no {@linkplain #invoker invoker} is sent: returns when the call
   * may leave the mesh, throws when the mesh's {@link dev.meshwork.core.UnknownHostPolicy} refuses
   * its host.
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
   * Registers how active health checks are sent, and starts them for every service that configured
   * one. The first registration wins; later ones are ignored, so several transports on one mesh
   * probe only once.
   *
   * @return whether this prober was taken
   */
  boolean useHealthProber(HealthProber prober);
}
