package dev.meshwork.xds.internal;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import java.util.List;

/**
 * Where the xDS client puts what it accepted: the full set of services each time one changes, in
 * the shape of the core's configurer ({@code apply(services, source, version)}), so it can be wired
 * to a running mesh.
 */
public interface ConfigSink {

  /**
   * Replaces every service the client manages with {@code services}, all at once.
   *
   * @param warnings each field of the resources behind them that Meshwork does not honour
   * @throws MeshConfigException when the set is refused; nothing then changed, and the client NACKs
   *     the response that led to it
   */
  void apply(List<ServiceConfig> services, String source, String version, List<String> warnings);

  /** A response was NACKed with {@code error}; the previous configuration stays. */
  default void rejected(String source, String version, String error) {}
}
