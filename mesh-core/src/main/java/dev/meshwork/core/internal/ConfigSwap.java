package dev.meshwork.core.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One config swap in the making ({@link MeshServices#apply}): {@link #prepare} validates the whole
 * candidate first, as the builder does, then builds what it needs without putting anything in use
 * (the runtimes of added services with their discovery started, the next generation of each changed
 * service and its new source, if any); {@link #abandon} releases all of that when something failed;
 * {@link #install} puts the changed generations in force before the mesh publishes the new state. A
 * service whose configuration is equal to the running one keeps its generation.
 */
final class ConfigSwap {
  private final Map<String, ServiceGeneration> before;
  private final PeerSecurity security;
  private final MeshClock clock;
  private final BiFunction<ServiceConfig, ClientTls, ServiceRuntime> newRuntime;
  private final Map<String, ServiceGeneration> next = new LinkedHashMap<>();
  private final List<ServiceRuntime> added = new ArrayList<>();
  private final List<ServiceGeneration> changed = new ArrayList<>();
  private final List<ServiceSource> sources = new ArrayList<>();
  private final List<String> changes = new ArrayList<>();

  /** The field a failure while preparing concerns, for its message. */
  private String preparing = "services";

  /**
   * @param before the services in use, by host
   * @param security the mesh's peer security, or {@code null}
   * @param newRuntime makes the runtime of an added service, as the mesh makes them
   */
  ConfigSwap(
      Map<String, ServiceGeneration> before,
      PeerSecurity security,
      MeshClock clock,
      BiFunction<ServiceConfig, ClientTls, ServiceRuntime> newRuntime) {
    this.before = before;
    this.security = security;
    this.clock = clock;
    this.newRuntime = newRuntime;
  }

  /** The services after the swap, by host, in the candidate's order. */
  Map<String, ServiceGeneration> next() {
    return next;
  }

  /** The runtimes of the services the swap adds. */
  List<ServiceRuntime> added() {
    return added;
  }

  /** Each changed service with the settings that changed, for the log. */
  List<String> changes() {
    return changes;
  }

  /** Where preparing failed, for the message of a failure that does not say so itself. */
  String preparing() {
    return preparing;
  }

  /** Validates everything, then builds what the services need; nothing is in use yet. */
  void prepare(List<ServiceConfig> services) {
    Map<ServiceName, ServiceConfig> unique = ServiceChecks.unique(services);
    Map<ServiceName, ClientTls> tls = new HashMap<>();
    for (ServiceConfig config : unique.values()) {
      TlsMode mode = ServiceChecks.tlsMode(config, security);
      ServiceGeneration existing = before.get(config.name().value());
      if (mode == TlsMode.MUTUAL) {
        tls.put(config.name(), clientTls(config, existing));
      }
    }
    for (ServiceConfig config : unique.values()) {
      String host = config.name().value();
      preparing = "service '" + host + "'";
      ServiceGeneration existing = before.get(host);
      ClientTls clientTls = tls.get(config.name());
      if (existing == null) {
        ServiceRuntime runtime = newRuntime.apply(config, clientTls);
        added.add(runtime);
        start(config, runtime::startDiscovery);
        next.put(host, runtime.current());
        continue;
      }
      List<String> differences = ServiceChecks.changes(existing.config(), config);
      if (differences.isEmpty() && clientTls == existing.clientTls()) {
        next.put(host, existing);
        continue;
      }
      ServiceGeneration generation = existing.runtime().prepare(config, clientTls);
      ServiceSource[] started = new ServiceSource[1];
      start(config, () -> started[0] = existing.runtime().prepareSource(config.discovery()));
      changed.add(generation);
      sources.add(started[0]);
      changes.add(host + " " + differences);
      next.put(host, generation);
    }
  }

  /** The client TLS of a mutual-TLS service: the running one while its identities stay. */
  private ClientTls clientTls(ServiceConfig config, ServiceGeneration existing) {
    if (existing != null
        && existing.clientTls() != null
        && existing.config().peerIdentities().equals(config.peerIdentities())) {
      return existing.clientTls();
    }
    return security.clientTls(config.name(), config.peerIdentities(), clock);
  }

  private void start(ServiceConfig config, Runnable watch) {
    try {
      watch.run();
    } catch (MeshConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MeshConfigException(
          "service '" + config.name() + "' discovery",
          config.discovery().describe(),
          "a source that starts watching; watch() threw " + e);
    }
  }

  /** Releases what {@link #prepare} started. */
  void abandon() {
    for (ServiceRuntime runtime : added) {
      runtime.stop();
      runtime.closeTelemetry();
    }
    for (int i = 0; i < changed.size(); i++) {
      changed.get(i).runtime().abandon(sources.get(i));
    }
  }

  /**
   * Puts the changed generations in force and waits, briefly, for sources that answer inside {@code
   * watch()}, so their endpoints are in use before the state is published.
   */
  void install() {
    for (int i = 0; i < changed.size(); i++) {
      changed.get(i).runtime().install(changed.get(i), sources.get(i));
    }
    try {
      for (ServiceRuntime runtime : added) {
        runtime.awaitUpdates(MeshServices.SYNCHRONOUS_ANSWER_WAIT);
      }
      for (int i = 0; i < changed.size(); i++) {
        if (sources.get(i) != null) {
          changed.get(i).runtime().awaitUpdates(MeshServices.SYNCHRONOUS_ANSWER_WAIT);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the swap goes on; endpoints follow shortly
    }
  }
}
