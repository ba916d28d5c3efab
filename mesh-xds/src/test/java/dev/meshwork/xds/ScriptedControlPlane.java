package dev.meshwork.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * An ADS server on a loopback port that answers only what the test tells it to, so a test can send
 * what no well-behaved control plane would: duplicate names, unknown types, oversized responses,
 * the same rejected content again.
 */
final class ScriptedControlPlane implements AutoCloseable {
  final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private final Server server;
  private volatile StreamObserver<DiscoveryResponse> stream;
  private int nonce;

  ScriptedControlPlane() throws IOException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(
                new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
                  @Override
                  public StreamObserver<DiscoveryRequest> streamAggregatedResources(
                      StreamObserver<DiscoveryResponse> responses) {
                    stream = responses;
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(DiscoveryRequest request) {
                        requests.add(request);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  /** Sends a response of {@code typeUrl} holding {@code resources}; returns its nonce. */
  synchronized String send(String typeUrl, String version, Message... resources) {
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder()
            .setTypeUrl(typeUrl)
            .setVersionInfo(version)
            .setNonce(String.valueOf(++nonce));
    for (Message resource : resources) {
      response.addResources(resource instanceof Any any ? any : Any.pack(resource));
    }
    stream.onNext(response.build());
    return response.getNonce();
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

  /** Waits for the answer (ACK or NACK) to the response with {@code nonce}. */
  DiscoveryRequest answer(String nonce) {
    return await("the answer to nonce " + nonce, r -> r.getResponseNonce().equals(nonce));
  }

  /** Waits for a request of {@code typeUrl} naming {@code name}. */
  DiscoveryRequest subscribed(String typeUrl, String name) {
    return await(
        "a subscription to " + typeUrl + " " + name,
        r -> r.getTypeUrl().equals(typeUrl) && r.getResourceNamesList().contains(name));
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
