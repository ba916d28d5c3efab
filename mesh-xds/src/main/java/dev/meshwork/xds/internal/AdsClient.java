package dev.meshwork.xds.internal;

import com.google.protobuf.Any;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ADS stream (state of the world, v3) and the protocol around it: a request per subscribed type
 * carrying the last accepted {@code version_info} and the latest {@code response_nonce} of that
 * type; an ACK (the response's version and nonce) or a NACK (the previous version, the response's
 * nonce and an error detail) for each response; a does-not-exist timer per resource; and
 * reconnection with exponential back-off and jitter that resumes with the last accepted versions.
 * Every method and callback runs on one serial executor; timers come from {@link Timers}, so tests
 * drive them without sleeping.
 */
public final class AdsClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdsClient.class);

  /**
   * The pause before NACKing the same rejected content again, doubling each time it comes back
   * unchanged, up to {@link #NACK_REPEAT_MAX}.
   */
  static final Duration NACK_REPEAT_PAUSE = Duration.ofSeconds(1);

  static final Duration NACK_REPEAT_MAX = Duration.ofSeconds(60);

  /** gRPC's INVALID_ARGUMENT, the code of every NACK's error detail. */
  private static final int INVALID_ARGUMENT = 3;

  /** Schedules work on the client's serial executor after a delay. */
  public interface Timers {
    /** Runs {@code task} after {@code delay}; the result cancels it. */
    Runnable schedule(Runnable task, Duration delay);
  }

  /** What the client tells the resource layer. Runs on the serial executor. */
  public interface Handler {
    /** A response's resources; returns the error detail to NACK with, or empty to ACK. */
    Optional<String> onResponse(ResourceType type, String version, List<Any> resources);

    /** A subscribed resource did not arrive before its timer ran out. */
    void onDoesNotExist(ResourceType type, String name);

    /** The stream opened (after its first response) or failed. */
    void onStream(boolean connected, String detail);
  }

  /**
   * Reconnection back-off: gRPC's defaults are 1 s, x1.6, at most 120 s, +-20% jitter.
   *
   * @param initial the first delay
   * @param multiplier the growth per failed attempt
   * @param max the cap
   * @param jitter the share (0..1) each delay varies by, up or down
   */
  public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
    public static final Backoff GRPC =
        new Backoff(Duration.ofSeconds(1), 1.6, Duration.ofSeconds(120), 0.2);
  }

  private static final class TypeState {
    final ResourceType type;
    Set<String> names = new TreeSet<>();
    String version = "";
    String nonce = "";
    String lastRejection;
    // The last rejected content, and how many times in a row it came back unchanged.
    String rejectedVersion;
    List<Any> rejectedResources;
    int repeats;
    Runnable delayedNack;
    final Set<String> received = new TreeSet<>();
    final Map<String, Runnable> timers = new HashMap<>();

    TypeState(ResourceType type) {
      this.type = type;
    }
  }

  private final Channel channel;
  private final Node node;
  private final Executor serial;
  private final Timers timers;
  private final Random random;
  private final Duration doesNotExistTimeout;
  private final Backoff backoff;
  private final Handler handler;
  private final Map<ResourceType, TypeState> states = new EnumMap<>(ResourceType.class);
  private final Set<ResourceType> pendingRequests = new TreeSet<>();

  private StreamObserver<DiscoveryRequest> requests;
  private int streamId;
  private boolean nodeSent;
  private boolean responseOnStream;
  private boolean endedOversized;
  private boolean handling;
  private double nextBackoffNanos;
  private Runnable reconnect;
  private boolean closed;

  public AdsClient(
      Channel channel,
      Node node,
      Executor serial,
      Timers timers,
      Random random,
      Duration doesNotExistTimeout,
      Backoff backoff,
      Handler handler) {
    this.channel = channel;
    this.node = node;
    this.serial = serial;
    this.timers = timers;
    this.random = random;
    this.doesNotExistTimeout = doesNotExistTimeout;
    this.backoff = backoff;
    this.handler = handler;
    this.nextBackoffNanos = backoff.initial().toNanos();
    for (ResourceType type : ResourceType.values()) {
      states.put(type, new TypeState(type));
    }
  }

  /** Opens the stream. */
  public void start() {
    serial.execute(this::openStream);
  }

  /**
   * Subscribes to exactly {@code names} of {@code type}; resources no longer named are forgotten.
   * Call on the serial executor.
   */
  public void subscribe(ResourceType type, Set<String> names) {
    TypeState state = states.get(type);
    if (state.names.equals(names)) {
      return;
    }
    for (String gone : state.names) {
      if (!names.contains(gone)) {
        cancelTimer(state, gone);
        state.received.remove(gone);
      }
    }
    state.names = new TreeSet<>(names);
    if (requests != null) {
      if (handling) {
        pendingRequests.add(type);
      } else {
        send(state, null);
      }
      startTimers(state);
    }
  }

  /** The names of {@code type} subscribed to. */
  public Set<String> subscription(ResourceType type) {
    return Set.copyOf(states.get(type).names);
  }

  /** The version last accepted for {@code type}; empty before the first. */
  public String version(ResourceType type) {
    return states.get(type).version;
  }

  private void openStream() {
    if (closed) {
      return;
    }
    reconnect = null;
    if (streamId > 0 && channel instanceof ManagedChannel managed) {
      // This client's back-off decides when to try again; the channel's would add its own.
      managed.resetConnectBackoff();
    }
    int id = ++streamId;
    nodeSent = false;
    responseOnStream = false;
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    serial.execute(() -> onResponse(id, response));
                  }

                  @Override
                  public void onError(Throwable error) {
                    boolean oversized =
                        io.grpc.Status.fromThrowable(error).getCode()
                            == io.grpc.Status.Code.RESOURCE_EXHAUSTED;
                    String detail =
                        oversized
                            ? "a response exceeded the stream's message size limit ("
                                + error.getMessage()
                                + ")"
                            : String.valueOf(error.getMessage());
                    serial.execute(() -> onStreamEnd(id, detail, oversized));
                  }

                  @Override
                  public void onCompleted() {
                    serial.execute(
                        () -> onStreamEnd(id, "the control plane closed the stream", false));
                  }
                });
    for (TypeState state : states.values()) {
      state.nonce = "";
      if (!state.names.isEmpty()) {
        send(state, null);
        startTimers(state);
      }
    }
  }

  private void onResponse(int id, DiscoveryResponse response) {
    if (id != streamId || closed) {
      return;
    }
    if (!responseOnStream) {
      responseOnStream = true;
      if (!endedOversized) {
        nextBackoffNanos = backoff.initial().toNanos();
      }
      handler.onStream(true, "connected");
    }
    ResourceType type = ResourceType.of(response.getTypeUrl());
    if (type == null) {
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setTypeUrl(response.getTypeUrl())
              .setResponseNonce(response.getNonce())
              .setErrorDetail(
                  error("resource type " + response.getTypeUrl() + " was not subscribed to"))
              .build());
      return;
    }
    TypeState state = states.get(type);
    state.nonce = response.getNonce();
    cancelDelayedNack(state);
    if (state.rejectedResources != null
        && response.getVersionInfo().equals(state.rejectedVersion)
        && response.getResourcesList().equals(state.rejectedResources)) {
      // A control plane may answer a NACK with the same content at once (java-control-plane's
      // SimpleCache does): the answer is the same NACK, sent after a growing pause so the two do
      // not spin.
      state.repeats++;
      long pause =
          Math.min(
              NACK_REPEAT_PAUSE.toNanos() << Math.min(state.repeats - 1, 20),
              NACK_REPEAT_MAX.toNanos());
      String detail = state.lastRejection;
      state.delayedNack =
          timers.schedule(
              () -> {
                if (state.delayedNack != null) {
                  state.delayedNack = null;
                  send(state, detail);
                }
              },
              Duration.ofNanos(pause));
      flushPending();
      return;
    }
    Optional<String> rejection;
    handling = true;
    try {
      rejection = handler.onResponse(type, response.getVersionInfo(), response.getResourcesList());
    } catch (RuntimeException e) {
      LOG.error("xDS: handling {} version {} failed", type.kind(), response.getVersionInfo(), e);
      rejection = Optional.of("Meshwork could not handle the response: " + e);
    } finally {
      handling = false;
    }
    if (rejection.isEmpty()) {
      state.version = response.getVersionInfo();
      // What was refused may hold now that this changed.
      forgetRejections();
      send(state, null);
    } else {
      // A control plane may resend a rejected version at once: say each rejection once.
      if (!rejection.get().equals(state.lastRejection)) {
        LOG.warn(
            "xDS: NACK of {} version {}: {}",
            type.kind(),
            response.getVersionInfo(),
            rejection.get());
      }
      state.lastRejection = rejection.get();
      state.rejectedVersion = response.getVersionInfo();
      state.rejectedResources = response.getResourcesList();
      state.repeats = 0;
      send(state, rejection.get());
    }
    flushPending();
  }

  private void flushPending() {
    for (ResourceType pending : List.copyOf(pendingRequests)) {
      send(states.get(pending), null);
    }
    pendingRequests.clear();
  }

  /** Forgets every rejected content, so the next response is judged afresh. */
  void forgetRejections() {
    for (TypeState state : states.values()) {
      state.rejectedResources = null;
      state.rejectedVersion = null;
      state.repeats = 0;
    }
  }

  private static void cancelDelayedNack(TypeState state) {
    Runnable cancel = state.delayedNack;
    state.delayedNack = null;
    if (cancel != null) {
      cancel.run();
    }
  }

  /** Marks {@code name} of {@code type} as received: its does-not-exist timer stops. */
  public void received(ResourceType type, String name) {
    TypeState state = states.get(type);
    state.received.add(name);
    cancelTimer(state, name);
  }

  private void onStreamEnd(int id, String detail, boolean oversized) {
    if (id != streamId || closed) {
      return;
    }
    requests = null;
    for (TypeState state : states.values()) {
      cancelDelayedNack(state);
      for (String name : List.copyOf(state.timers.keySet())) {
        cancelTimer(state, name);
      }
    }
    long delay;
    // A control plane that keeps sending a response over the limit would otherwise be asked for
    // it again at once, forever: such a stream backs off as a failed attempt does.
    endedOversized = oversized;
    if (responseOnStream && !oversized) {
      delay = 0;
    } else {
      double jitter = 1 + backoff.jitter() * (2 * random.nextDouble() - 1);
      delay = (long) (nextBackoffNanos * jitter);
      nextBackoffNanos =
          Math.min(nextBackoffNanos * backoff.multiplier(), (double) backoff.max().toNanos());
    }
    handler.onStream(false, detail);
    LOG.info("xDS: stream ended ({}); reconnecting in {} ms", detail, delay / 1_000_000);
    reconnect = timers.schedule(this::openStream, Duration.ofNanos(delay));
  }

  private void send(TypeState state, String errorDetail) {
    if (requests == null) {
      return;
    }
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setTypeUrl(state.type.typeUrl())
            .setVersionInfo(state.version)
            .setResponseNonce(state.nonce)
            .addAllResourceNames(state.names);
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    if (errorDetail != null) {
      request.setErrorDetail(error(errorDetail));
    }
    requests.onNext(request.build());
  }

  private void startTimers(TypeState state) {
    for (String name : state.names) {
      if (!state.received.contains(name) && !state.timers.containsKey(name)) {
        state.timers.put(
            name,
            timers.schedule(
                () -> {
                  if (state.timers.remove(name) != null && !state.received.contains(name)) {
                    forgetRejections();
                    handler.onDoesNotExist(state.type, name);
                  }
                },
                doesNotExistTimeout));
      }
    }
  }

  private static void cancelTimer(TypeState state, String name) {
    Runnable cancel = state.timers.remove(name);
    if (cancel != null) {
      cancel.run();
    }
  }

  private static Status error(String message) {
    return Status.newBuilder().setCode(INVALID_ARGUMENT).setMessage(message).build();
  }

  @Override
  public void close() {
    serial.execute(
        () -> {
          closed = true;
          if (reconnect != null) {
            reconnect.run();
          }
          for (TypeState state : states.values()) {
            cancelDelayedNack(state);
            for (String name : List.copyOf(state.timers.keySet())) {
              cancelTimer(state, name);
            }
          }
          if (requests != null) {
            requests.onCompleted();
            requests = null;
          }
        });
  }
}
