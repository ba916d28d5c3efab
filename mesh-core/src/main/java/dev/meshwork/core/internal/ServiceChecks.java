package dev.meshwork.core.internal;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.PeerSecurity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a set of services must satisfy to run together in one mesh, checked the same way when the
 * mesh is built and when a config swap replaces its services; and what differs between two
 * configurations of one service.
 */
public final class ServiceChecks {
  private ServiceChecks() {}

  /**
   * {@code services} by name, in order.
   *
   * @throws MeshConfigException when an entry is null or a name appears twice
   */
  public static Map<ServiceName, ServiceConfig> unique(List<ServiceConfig> services) {
    Map<ServiceName, ServiceConfig> unique = new LinkedHashMap<>();
    for (int i = 0; i < services.size(); i++) {
      ServiceConfig config = services.get(i);
      if (config == null) {
        throw new MeshConfigException("services[" + i + "]", null, "a service configuration");
      }
      if (unique.putIfAbsent(config.name(), config) != null) {
        throw new MeshConfigException(
            "service", config.name(), "each service name to be configured once");
      }
    }
    return unique;
  }

  /**
   * The TLS mode {@code config} runs with in a mesh with {@code security} ({@code null} for none):
   * its own, else mutual with security and plaintext without.
   *
   * @throws MeshConfigException when the service wants mutual TLS in a mesh without security, or
   *     names peer identities for a plaintext service
   */
  public static TlsMode tlsMode(ServiceConfig config, PeerSecurity security) {
    TlsMode mode = config.tls().orElse(security != null ? TlsMode.MUTUAL : TlsMode.DISABLED);
    if (mode == TlsMode.MUTUAL && security == null) {
      throw new MeshConfigException(
          "service '" + config.name() + "' tls",
          mode,
          "a mesh with peer security (Mesh.builder().security(...)) or tls DISABLED");
    }
    if (mode != TlsMode.MUTUAL && !config.peerIdentities().isEmpty()) {
      throw new MeshConfigException(
          "service '" + config.name() + "' peerIdentities",
          config.peerIdentities(),
          "no peer identities for a plaintext service; they need tls MUTUAL");
    }
    return mode;
  }

  /**
   * The settings of {@code next} that differ from {@code previous}, by name; empty when the two
   * configure the service alike. Discovery sources and balancer factories compare with {@code
   * equals}, which is identity unless the type defines it.
   */
  public static List<String> changes(ServiceConfig previous, ServiceConfig next) {
    List<String> changed = new ArrayList<>();
    note(changed, "discovery", previous.discovery(), next.discovery());
    note(changed, "loadBalancer", previous.loadBalancer(), next.loadBalancer());
    note(changed, "zoneAwareness", previous.zoneAwareness(), next.zoneAwareness());
    note(changed, "slowStart", previous.slowStart(), next.slowStart());
    note(changed, "tls", previous.tls(), next.tls());
    note(changed, "peerIdentities", previous.peerIdentities(), next.peerIdentities());
    note(changed, "timeouts", previous.timeouts(), next.timeouts());
    note(changed, "retries", previous.retries(), next.retries());
    note(changed, "retryBudget", previous.retryBudget(), next.retryBudget());
    note(changed, "circuitBreaker", previous.circuitBreaker(), next.circuitBreaker());
    note(changed, "outlierDetection", previous.outlierDetection(), next.outlierDetection());
    note(changed, "limits", previous.limits(), next.limits());
    note(changed, "healthCheck", previous.healthCheck(), next.healthCheck());
    note(changed, "hedging", previous.hedgeDelay(), next.hedgeDelay());
    note(changed, "routes", previous.routes(), next.routes());
    return changed;
  }

  private static void note(List<String> changed, String setting, Object previous, Object next) {
    if (!Objects.equals(previous, next)) {
      changed.add(setting);
    }
  }
}
