package dev.meshwork.discovery.kubernetes;

import dev.meshwork.config.MeshConfigSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh document held in a Kubernetes ConfigMap, for {@code LiveConfig}: the ConfigMap is watched
 * through the fabric8 client (an informer: list, watch, re-list after a lost watch), and each read
 * returns its {@code .yaml}, {@code .yml} and {@code .json} keys, merged in key order. Needs
 * mesh-config on the class path. Close it to stop watching; the client stays the caller's.
 *
 * <p>With a {@code KubernetesClient client} and a running {@code mesh}:
 *
 * <pre>
 * try (ConfigMapSource configMap =
 *         ConfigMapSource.watch(client, "default", "meshwork", Duration.ofSeconds(10));
 *     LiveConfig live = LiveConfig.watch(mesh, Duration.ofSeconds(1), configMap)) {
 *   ...
 * }
 * </pre>
 */
public final class ConfigMapSource implements MeshConfigSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigMapSource.class);

  private final String namespace;
  private final String configMap;
  private final SharedIndexInformer<ConfigMap> informer;
  private volatile boolean closed;

  private ConfigMapSource(KubernetesClient client, String namespace, String configMap) {
    this.namespace = namespace;
    this.configMap = configMap;
    this.informer =
        client.configMaps().inNamespace(namespace).withName(configMap).runnableInformer(0);
    // Retry every failure, before and after the first list: an API server may come back. The
    // cache keeps the last ConfigMap seen meanwhile.
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn("{}: watch failed, retrying: {}", name(), error.toString());
          return !closed;
        });
  }

  /**
   * Starts watching ConfigMap {@code name} in {@code namespace} and waits at most {@code firstList}
   * for the API server's first answer; until it comes, reads fail (and the running configuration
   * stays).
   */
  public static ConfigMapSource watch(
      KubernetesClient client, String namespace, String name, Duration firstList) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(firstList, "firstList");
    ConfigMapSource source = new ConfigMapSource(client, namespace, name);
    try {
      source.informer.start().toCompletableFuture().get(firstList.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{}: not listed within {}: {}", source.name(), firstList, e.toString());
    }
    return source;
  }

  @Override
  public String name() {
    return "configmap " + namespace + "/" + configMap;
  }

  @Override
  public List<Document> read() throws IOException {
    if (!informer.hasSynced()) {
      throw new IOException(name() + ": not listed from the API server yet");
    }
    List<ConfigMap> found = informer.getStore().list();
    if (found.isEmpty()) {
      throw new IOException(name() + ": no such ConfigMap");
    }
    Map<String, String> data = found.get(0).getData();
    List<Document> documents = new ArrayList<>();
    for (var entry : new TreeMap<>(data == null ? Map.<String, String>of() : data).entrySet()) {
      String key = entry.getKey();
      if (key.endsWith(".yaml") || key.endsWith(".yml") || key.endsWith(".json")) {
        documents.add(new Document(name() + "/" + key, entry.getValue()));
      }
    }
    if (documents.isEmpty()) {
      throw new IOException(name() + ": no .yaml, .yml or .json key in its data");
    }
    return documents;
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
  }
}
