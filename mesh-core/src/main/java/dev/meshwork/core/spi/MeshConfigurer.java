package dev.meshwork.core.spi;

import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.MeshAccess;
import java.util.List;
import java.util.Objects;

/**
 * How a configuration source (a watched file, a Kubernetes ConfigMap, xDS, a framework's
 * properties) changes the services of a running {@link Mesh}: it compiles its document into {@link
 * ServiceConfig}s and hands over the whole set; the mesh swaps to it in one step or refuses it
 * whole. Mesh-wide settings (identity and peer security, local zone, telemetry, unknown-host
 * policy) are the builder's and do not change.
 *
 * <pre>{@code
 * MeshConfigurer configurer = MeshConfigurer.of(mesh);
 * try {
 *   ConfigStatus status = configurer.apply(
 *       List.of(
 *           ServiceConfig.builder("mathoid").endpoints("10.64.0.11:10044").build(),
 *           ServiceConfig.builder("citoid").endpoints("10.64.0.21:1970").build()),
 *       "/etc/meshwork/mesh.yaml",
 *       "sha256:3f2a9c");
 *   System.out.println("now at generation " + status.generation());
 * } catch (MeshConfigException refused) {
 *   // The mesh runs on as before; mesh.configStatus().lastError() says why.
 * }
 * }</pre>
 *
 * <p>What a swap keeps, service by service:
 *
 * <ul>
 *   <li>A call reads the mesh's services once, when it starts, and keeps that service's
 *       configuration for its whole life, retries and hedges included: calls in flight finish on
 *       the configuration they started with, every call that starts after {@link #apply} returns
 *       uses the new one.
 *   <li>A service whose configuration is equal to the running one is left exactly as it is.
 *   <li>A changed service keeps its endpoints' state (counters, latency estimates, ejections, slow
 *       start ramps) for endpoints that stay, and the transport keeps their pooled connections. The
 *       live state of its circuit breaker, outlier detection, retry budget, concurrency limits and
 *       load balancer is kept when that policy is equal to the running one and starts fresh when it
 *       changed. Turning outlier detection off returns ejected endpoints to balancing; turning
 *       health checks off counts every endpoint healthy again.
 *   <li>A changed discovery source (one not {@code equals} to the running one; sources without
 *       their own {@code equals} compare by identity) starts watching at once, but the endpoints of
 *       the old source stay in use until the new one answers for the first time; then the old watch
 *       is closed. Until then {@link Mesh#discoveryHealth} describes the new source as not answered
 *       yet; if it never answers, the old endpoints simply stay.
 *   <li>An added service gets everything a built one has (discovery, TLS from the mesh's peer
 *       security, telemetry, the decision log, outlier sweeps, health checks); a static source's
 *       endpoints are in use when {@code apply} returns.
 *   <li>A removed service is an unknown host for calls that start afterwards (the mesh's {@link
 *       dev.meshwork.core.MeshBuilder.UnknownHostPolicy} applies); its discovery, sweeps and health
 *       checks stop at once, and its meters are removed once its attempts in flight have ended.
 * </ul>
 *
 * <p>Thread-safe: applies are serialised; calls never wait for one. Get one with {@link #of}.
 */
public interface MeshConfigurer {

  /** The configurer of {@code mesh}. */
  static MeshConfigurer of(Mesh mesh) {
    return MeshAccess.get().configurer(Objects.requireNonNull(mesh, "mesh"));
  }

  /**
   * Replaces the whole set of services of the mesh with {@code services}, as one atomic step (see
   * the class description for what each service keeps). Everything is validated first, as {@link
   * dev.meshwork.core.MeshBuilder#build()} does: unique names, each service's TLS mode and peer
   * identities against the mesh's peer security, and that each discovery source starts.
   *
   * @param source where the services were read from, for {@link Mesh#configStatus()} and logs
   * @param version the version its source gave them
   * @return the mesh's new status, one generation on
   * @throws MeshConfigException naming the service, the field, the value and what was expected; the
   *     mesh then runs on unchanged and its status records the error
   * @throws IllegalStateException when the mesh is closed
   */
  default ConfigStatus apply(List<ServiceConfig> services, String source, String version) {
    return apply(services, source, version, List.of());
  }

  /**
   * As {@link #apply(List, String, String)}, recording {@code warnings} in {@link
   * Mesh#configStatus()} (and on the admin endpoint) for as long as this configuration is in use:
   * what the source could not honour in it, each naming where and why (an unsupported field, a lint
   * finding). They are shown redacted, but must not carry secrets.
   */
  ConfigStatus apply(
      List<ServiceConfig> services, String source, String version, List<String> warnings);

  /**
   * Records that a candidate configuration from {@code source} was refused before it reached the
   * mesh (it did not parse or did not validate): {@link Mesh#configStatus()} shows {@code error} as
   * its last error, and the running configuration stays.
   *
   * @param error what was wrong, naming where; it is logged and shown on the admin endpoint
   *     (redacted), so it must not carry secrets
   */
  void rejected(String source, String version, String error);
}
