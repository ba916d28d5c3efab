package dev.meshwork.discovery.kubernetes.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows one service's EndpointSlices (and, when pod labels are wanted, the namespace's pods) with
 * fabric8 informers, which list, watch, track resource versions and re-list after a 410 Gone. Every
 * informer event only marks the endpoints dirty; one rebuild on the mesh's scheduler then reads the
 * informers' caches, so a burst of events becomes one snapshot.
 *
 * <p>Nothing is published before the caches are synced (a half-filled cache is not an answer).
 * Failures the informers see, such as the API server refusing the credentials, and a watch that is
 * down, are reported as errors; the cache, and so the last good endpoints, stay.
 */
public final class SliceWatch implements Watch {
  private final String source;
  private final ServiceName service;
  private final String namespace;
  private final DiscoveryListener listener;
  private final ScheduledExecutorService scheduler;
  private final SliceReader reader;
  private final AutoCloseable ownedClient;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SharedIndexInformer<Pod> pods;
  private final AtomicBoolean rebuildQueued = new AtomicBoolean();
  private final ScheduledFuture<?> connectionCheck;
  private volatile boolean watchLostReported;
  private volatile boolean closed;

  public SliceWatch(
      String source,
      ServiceName service,
      KubernetesClient client,
      AutoCloseable ownedClient,
      String namespace,
      String kubernetesService,
      SliceReader reader,
      boolean wantPods,
      DiscoveryListener listener,
      ScheduledExecutorService scheduler,
      Duration checkInterval) {
    this.source = source;
    this.service = service;
    this.namespace = namespace;
    this.listener = listener;
    this.scheduler = scheduler;
    this.reader = reader;
    this.ownedClient = ownedClient;
    ResourceEventHandler<Object> dirty =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object object) {
            queueRebuild();
          }

          @Override
          public void onUpdate(Object before, Object after) {
            queueRebuild();
          }

          @Override
          public void onDelete(Object object, boolean finalStateUnknown) {
            queueRebuild();
          }
        };
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", kubernetesService)
            .runnableInformer(0);
    this.pods = wantPods ? client.pods().inNamespace(namespace).runnableInformer(0) : null;
    for (SharedIndexInformer<?> informer :
        wantPods ? java.util.List.of(slices, pods) : java.util.List.of(slices)) {
      informer.addEventHandler(dirty);
      // Retry every failure, before and after the first sync: a refused token may be rotated,
      // an API server may come back. Each failure is reported; the cache stays as it was.
      informer.exceptionHandler(
          (started, error) -> {
            report(describe(error));
            return !closed;
          });
      informer.start().whenComplete((ok, error) -> queueRebuild());
    }
    this.connectionCheck =
        scheduler.scheduleWithFixedDelay(
            this::checkConnection,
            checkInterval.toNanos(),
            checkInterval.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void queueRebuild() {
    if (closed || !rebuildQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      scheduler.execute(this::rebuild);
    } catch (RejectedExecutionException meshClosing) {
      closed = true;
    }
  }

  private void rebuild() {
    rebuildQueued.set(false);
    if (closed || !slices.hasSynced() || (pods != null && !pods.hasSynced())) {
      return;
    }
    try {
      var endpoints =
          reader.read(
              slices.getStore().list(),
              name -> pods == null ? null : pods.getStore().getByKey(namespace + "/" + name));
      listener.onSnapshot(EndpointSnapshot.of(service, endpoints));
    } catch (SliceReader.SliceProblem | RuntimeException e) {
      report(e.getMessage() + "; keeping the last good endpoints");
    }
  }

  private void checkConnection() {
    if (closed || !slices.hasSynced()) {
      return;
    }
    boolean watching = slices.isWatching() && (pods == null || pods.isWatching());
    if (!watching && !watchLostReported) {
      watchLostReported = true;
      report(
          "the watch on the API server is down; the informer is reconnecting, the last good endpoints stay");
    } else if (watching && watchLostReported) {
      watchLostReported = false;
      queueRebuild();
    }
  }

  private void report(String reason) {
    if (!closed) {
      listener.onError(new IOException(source + " for service '" + service + "': " + reason));
    }
  }

  private static String describe(Throwable thrown) {
    Throwable error = thrown;
    while (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof KubernetesClientException api && api.getCode() > 0) {
      String status = api.getStatus() == null ? null : api.getStatus().getReason();
      return "the API server answered "
          + api.getCode()
          + (status == null ? "" : " " + status)
          + ": "
          + api.getMessage();
    }
    return "the API server could not be reached: " + error;
  }

  @Override
  public void close() {
    closed = true;
    connectionCheck.cancel(false);
    slices.close();
    if (pods != null) {
      pods.close();
    }
    if (ownedClient != null) {
      try {
        ownedClient.close();
      } catch (Exception e) {
        // Closing a client we made ourselves; nothing left to do with it.
      }
    }
  }
}
