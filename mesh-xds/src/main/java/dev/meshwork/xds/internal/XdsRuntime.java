package dev.meshwork.xds.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.MeshThreads;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The running xDS client: one gRPC channel to the control plane, one serial thread ({@code
 * meshwork-xds-N}) on which the stream's callbacks, the timers and the resource handling all run,
 * the ADS stream and the resources it accepted.
 */
public final class XdsRuntime implements AutoCloseable {
  /** gRPC's does-not-exist timeout. */
  public static final Duration DOES_NOT_EXIST_TIMEOUT = Duration.ofSeconds(15);

  /** The largest response accepted; a larger one fails the stream, which then reconnects. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /**
   * How the client runs; tests replace the timers, clock and random source.
   *
   * @param timers runs delayed work on the serial thread; empty for the real scheduler
   */
  public record Options(
      MeshClock clock,
      java.util.Optional<AdsClient.Timers> timers,
      Random random,
      Duration doesNotExistTimeout,
      AdsClient.Backoff backoff,
      boolean ignoreResourceDeletion,
      CertificateProviders certificateProviders,
      int maxMessageBytes) {

    /** Options whose mesh identity comes from no bootstrap certificate provider. */
    public Options(
        MeshClock clock,
        java.util.Optional<AdsClient.Timers> timers,
        Random random,
        Duration doesNotExistTimeout,
        AdsClient.Backoff backoff,
        boolean ignoreResourceDeletion) {
      this(
          clock,
          timers,
          random,
          doesNotExistTimeout,
          backoff,
          ignoreResourceDeletion,
          CertificateProviders.none("the mesh's identity comes from no bootstrap provider"),
          MAX_MESSAGE_BYTES);
    }

    /** These options with the mesh's identity from {@code providers}. */
    public Options withCertificateProviders(CertificateProviders providers) {
      return new Options(
          clock,
          timers,
          random,
          doesNotExistTimeout,
          backoff,
          ignoreResourceDeletion,
          providers,
          maxMessageBytes);
    }

    /** These options with responses limited to {@code bytes}. */
    public Options withMaxMessageBytes(int bytes) {
      return new Options(
          clock,
          timers,
          random,
          doesNotExistTimeout,
          backoff,
          ignoreResourceDeletion,
          certificateProviders,
          bytes);
    }

    public static Options defaults() {
      return new Options(
          MeshClock.system(),
          java.util.Optional.empty(),
          new Random(),
          DOES_NOT_EXIST_TIMEOUT,
          AdsClient.Backoff.GRPC,
          false);
    }
  }

  private final ScheduledExecutorService serial;
  private final ManagedChannel channel;
  private final AdsClient client;
  private final XdsState state;

  /**
   * Connects to the control plane at {@code target} and subscribes to {@code listeners}, handing
   * what it accepts to {@code sink}.
   */
  public XdsRuntime(
      String target,
      ChannelCredentials credentials,
      Node node,
      Set<String> listeners,
      ConfigSink sink,
      Options options) {
    this.serial = Executors.newSingleThreadScheduledExecutor(MeshThreads.named("meshwork-xds"));
    this.channel =
        Grpc.newChannelBuilder(target, credentials)
            .executor(serial)
            .maxInboundMessageSize(options.maxMessageBytes())
            .build();
    AdsClient.Timers timers = options.timers().orElse(this::schedule);
    this.state =
        new XdsState(
            "xds " + target,
            listeners,
            sink,
            options.ignoreResourceDeletion(),
            options.certificateProviders(),
            options.clock());
    this.client =
        new AdsClient(
            channel,
            node,
            serial,
            timers,
            options.random(),
            options.doesNotExistTimeout(),
            options.backoff(),
            state);
    serial.execute(() -> state.start(client));
    client.start();
  }

  private Runnable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> future = serial.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Completes when the first configuration has been applied. */
  public java.util.concurrent.CompletableFuture<Void> firstApplied() {
    return state.firstApplied();
  }

  public XdsStatus status() {
    return state.status();
  }

  /**
   * Whether the channel to the control plane is connected; when it is not, asks it to connect now
   * rather than after its own back-off (tests wait on this instead of on time).
   */
  public boolean channelReady() {
    io.grpc.ConnectivityState state = channel.getState(true);
    if (state == io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    return state == io.grpc.ConnectivityState.READY;
  }

  /** Runs {@code task} on the client's serial thread. */
  public void execute(Runnable task) {
    serial.execute(task);
  }

  @Override
  public void close() {
    client.close();
    serial.execute(channel::shutdownNow);
    serial.shutdown();
    try {
      if (!serial.awaitTermination(5, TimeUnit.SECONDS)) {
        serial.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      serial.shutdownNow();
    }
  }
}
