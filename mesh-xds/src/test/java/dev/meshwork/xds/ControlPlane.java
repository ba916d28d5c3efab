package dev.meshwork.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A real xDS control plane on a loopback port: java-control-plane's {@link V3DiscoveryServer} over
 * a {@link SimpleCache} that serves one snapshot to every node. Every request the server receives
 * (ACKs, NACKs with their error detail) is recorded through the server's callbacks.
 */
final class ControlPlane implements AutoCloseable {
  static final String GROUP = "all";

  final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private final V3DiscoveryServer discovery;
  private Server server;
  private int port;

  ControlPlane() throws IOException {
    discovery =
        new V3DiscoveryServer(
            new DiscoveryServerCallbacks() {
              @Override
              public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
                requests.add(request);
              }

              @Override
              public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
            },
            cache);
    start();
  }

  /** Serves (again) on the same port. */
  void start() throws IOException {
    server =
        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    port = server.getPort();
  }

  /** Stops serving: open streams fail, new ones are refused. */
  void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String target() {
    return "localhost:" + port;
  }

  void set(Snapshot snapshot) {
    cache.setSnapshot(GROUP, snapshot);
  }

  /** Waits, at most 20 s, for a request matching {@code condition}. */
  DiscoveryRequest await(String what, Predicate<DiscoveryRequest> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<DiscoveryRequest> found = requests.stream().filter(condition).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    throw new AssertionError("the control plane never saw " + what + "; it saw " + requests);
  }

  /** Waits for the ACK of {@code version} of {@code typeUrl}. */
  DiscoveryRequest awaitAck(String typeUrl, String version) {
    return await(
        "an ACK of " + typeUrl + " " + version,
        r ->
            r.getTypeUrl().equals(typeUrl)
                && r.getVersionInfo().equals(version)
                && !r.hasErrorDetail()
                && !r.getResponseNonce().isEmpty());
  }

  @Override
  public void close() {
    stop();
  }
}
