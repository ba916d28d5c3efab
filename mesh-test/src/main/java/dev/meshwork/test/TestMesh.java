package dev.meshwork.test;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.test.internal.Await;
import dev.meshwork.test.internal.SwitchableSource;
import dev.meshwork.test.internal.TestTelemetry;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * A mesh under test: built from your own builder code on a {@link VirtualClock} with a fixed random
 * seed, with fake services to call, every decision kept and readable per call, and spans and
 * metrics in memory. {@link MeshTestExtension} gives each test one and closes it after; without
 * JUnit, {@link #create} and {@link #close}.
 *
 * <pre>{@code
 * try (TestMesh mesh = TestMesh.create(42)) {
 *   FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
 *   mathoid.endpoint(2).script(s -> s.always().respond(503));
 *   OkHttpClient client =
 *       mesh.start(b -> b.service("mathoid", s -> s.discovery(mathoid.discovery()))).client();
 *   client.newCall(new Request.Builder().url("http://mathoid/render").build()).execute().close();
 *   CallAssert.assertCall(mesh.lastCall()).attempts(1);
 * }
 * }</pre>
 *
 * <p>Calls made one at a time make the same decisions in every run with the same seed (back-off,
 * balancer picks, splits); calls made at once from several threads still do their own thing right,
 * but their interleaving is the scheduler's.
 */
public final class TestMesh implements AutoCloseable {
  /** The CA's trust domain: identities are {@code spiffe://cluster.local/ns/default/sa/<name>}. */
  public static final String TRUST_DOMAIN = "cluster.local";

  private static final Duration SETTLE_BOUND = Duration.ofSeconds(10);
  private static final String PROBE_AGENT = "meshwork-health-check";

  private final long seed;
  private final VirtualClock clock = VirtualClock.startingNow();
  private final TestTelemetry telemetry = new TestTelemetry(clock);
  private final List<FakeService> fakes = new CopyOnWriteArrayList<>();
  private BuiltInCa ca; // guarded by this
  private volatile Mesh mesh;
  private volatile MeshOkHttp http;

  private TestMesh(long seed) {
    this.seed = seed;
  }

  /** A test mesh whose random draws are seeded with {@code seed}; not started. */
  public static TestMesh create(long seed) {
    return new TestMesh(seed);
  }

  /** The seed of the mesh's random draws. */
  public long seed() {
    return seed;
  }

  /** The mesh's clock; {@code time().advance(Duration.ofSeconds(30))} moves it. */
  public VirtualClock time() {
    return clock;
  }

  /** Starts a fake service as {@code spec} describes it, closed with this mesh. */
  public FakeService fake(FakeService.Builder spec) {
    Objects.requireNonNull(spec, "spec");
    if (!spec.hasEndpoints()) {
      throw new IllegalArgumentException(
          "fake service '" + spec.name() + "' has no endpoint: add endpoints(n) or endpoint(...)");
    }
    for (FakeService fake : fakes) {
      if (fake.name().equals(spec.name())) {
        throw new IllegalArgumentException("fake service '" + spec.name() + "' exists already");
      }
    }
    FakeService fake = new FakeService(spec, this);
    fakes.add(fake);
    return fake;
  }

  /**
   * Builds and starts the mesh from your builder code. The kit sets the clock, the random seed,
   * decisions to keep (all it may) and telemetry (spans and metrics in memory) first; {@code
   * configure} adds your services (give each fake's {@link FakeService#discovery()} to its service)
   * and may change the rest but the clock. Then the transport is attached and what is due at once
   * (the first health checks) runs.
   *
   * @throws IllegalStateException when started already, or when {@code configure} changed the clock
   */
  public synchronized TestMesh start(Consumer<MeshBuilder> configure) {
    Objects.requireNonNull(configure, "configure");
    if (mesh != null) {
      throw new IllegalStateException("the test mesh is started already");
    }
    MeshBuilder builder =
        Mesh.builder()
            .clock(clock)
            .randomSeed(seed)
            .decisions(MeshBuilder.MAX_DECISIONS)
            .telemetry(
                Telemetry.builder()
                    .openTelemetry(telemetry.openTelemetry())
                    .meterRegistry(telemetry.meters())
                    .build());
    configure.accept(builder);
    Mesh built = builder.build();
    if (built.clock() != clock) {
      built.close();
      throw new IllegalStateException(
          "the builder code set the clock to "
              + built.clock()
              + "; a test mesh runs on its own"
              + " VirtualClock (time()), leave the clock alone");
    }
    mesh = built;
    http = MeshOkHttp.of(built);
    clock.afterEachTask(this::awaitProbes);
    clock.advance(Duration.ZERO);
    return this;
  }

  /** Starts a mesh with one service per fake, each with the default policies. */
  public TestMesh start() {
    return start(
        b -> {
          for (FakeService fake : fakes) {
            b.service(fake.name(), s -> s.discovery(fake.discovery()));
          }
        });
  }

  /**
   * The mesh.
   *
   * @throws IllegalStateException before {@link #start}
   */
  public Mesh mesh() {
    Mesh started = mesh;
    if (started == null) {
      throw new IllegalStateException("the test mesh is not started yet: call start(...) first");
    }
    return started;
  }

  /** A client on the mesh's transport: {@code http://<service>/...} goes through the mesh. */
  public OkHttpClient client() {
    mesh();
    return http.client();
  }

  /**
   * The test's certificate authority, on virtual time (its trust domain {@value #TRUST_DOMAIN}): it
   * issues the identities of TLS fakes and of {@link #tls}.
   */
  public synchronized BuiltInCa ca() {
    if (ca == null) {
      ca = BuiltInCa.builder().trustDomain(TrustDomain.of(TRUST_DOMAIN)).clock(clock).build();
    }
    return ca;
  }

  /**
   * Mutual TLS for this workload, {@code spiffe://cluster.local/ns/default/sa/<workload>}, from
   * {@link #ca()}: renewed on virtual time with seeded jitter, closed with the mesh. Give it to
   * {@code MeshBuilder.security}.
   */
  public MeshTls tls(String workload) {
    return MeshTls.builder().source(source(workload)).closeSourceWithMesh(true).build();
  }

  private BuiltInCaSource source(String workload) {
    return BuiltInCaSource.builder()
        .ca(ca())
        .spiffeId(SpiffeId.forService(ca().trustDomain(), "default", workload))
        .clock(clock)
        .random(new SplittableRandom(seed ^ workload.hashCode()))
        .build();
  }

  /** A TLS fake instance's certificates: its own identity and an impostor's. */
  SwitchableSource tlsFor(String service) {
    return new SwitchableSource(source(service), source(service + "-impostor"));
  }

  /**
   * Every call that went through the mesh, in the order they started, with what the mesh decided
   * for each; instances of fakes are named ({@code mathoid-2}) rather than addressed.
   */
  public List<CallTrace> calls() {
    List<Decision> newestFirst = mesh().snapshot().decisions();
    Map<Long, List<Decision>> byCall = new TreeMap<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Decision decision = newestFirst.get(i);
      if (decision.call().isPresent()) {
        byCall.computeIfAbsent(decision.call().getAsLong(), n -> new ArrayList<>()).add(decision);
      }
    }
    Map<String, String> names = names();
    List<CallTrace> calls = new ArrayList<>(byCall.size());
    byCall.forEach(
        (number, decisions) ->
            calls.add(new CallTrace(number, decisions.get(0).service(), decisions, names)));
    return calls;
  }

  /**
   * The call that started last.
   *
   * @throws AssertionError when no call went through the mesh yet
   */
  public CallTrace lastCall() {
    List<CallTrace> calls = calls();
    if (calls.isEmpty()) {
      throw new AssertionError("no call has gone through the mesh yet");
    }
    return calls.get(calls.size() - 1);
  }

  /** The spans the mesh finished so far (one CLIENT span per attempt), oldest first. */
  public List<SpanData> spans() {
    return telemetry.spans();
  }

  /** The registry the mesh's meters are in; read it as {@code meters().find(...)}. */
  public MeterRegistry meters() {
    return telemetry.meters();
  }

  private Map<String, String> names() {
    Map<String, String> names = new HashMap<>();
    for (FakeService fake : fakes) {
      for (FakeEndpoint endpoint : fake.everyEndpoint()) {
        names.put(endpoint.address(), endpoint.name());
      }
    }
    return names;
  }

  EndpointStatus statusOf(String service, FakeEndpoint endpoint) {
    for (EndpointStatus status : mesh().endpointStatus(service)) {
      if (status.endpoint().address().equals(endpoint.address())) {
        return status;
      }
    }
    throw new IllegalStateException(
        "service '"
            + service
            + "' does not use "
            + endpoint.name()
            + " ("
            + endpoint.address()
            + "); it uses "
            + mesh().endpoints(service));
  }

  /** After a fake service changed its instances, waits until the mesh calls the new set. */
  void awaitEndpoints(FakeService fake) {
    Mesh started = mesh;
    if (started == null || !started.services().contains(ServiceName.of(fake.name()))) {
      return;
    }
    Set<String> expected =
        fake.endpoints().stream().map(FakeEndpoint::address).collect(Collectors.toSet());
    Await.until(
        () ->
            started.endpoints(fake.name()).stream()
                .map(Endpoint::address)
                .collect(Collectors.toSet())
                .equals(expected),
        SETTLE_BOUND,
        () ->
            "service '"
                + fake.name()
                + "' still calls "
                + started.endpoints(fake.name())
                + ", not the fake's "
                + expected
                + ": does its configuration use the fake's"
                + " discovery()?");
  }

  /** Waits until no health-check probe is in flight, so a round's verdicts are in. */
  private void awaitProbes() {
    MeshOkHttp transport = http;
    if (transport == null) {
      return;
    }
    Dispatcher dispatcher = transport.dispatcher();
    Await.until(
        () -> !probing(dispatcher.runningCalls()) && !probing(dispatcher.queuedCalls()),
        SETTLE_BOUND,
        () -> "health-check probes still running: " + dispatcher.runningCalls());
  }

  private static boolean probing(List<Call> calls) {
    for (Call call : calls) {
      if (PROBE_AGENT.equals(call.request().header("User-Agent"))) {
        return true;
      }
    }
    return false;
  }

  /** Closes the mesh, the fake services and everything on the virtual clock. */
  @Override
  public void close() {
    Mesh started = mesh;
    if (started != null) {
      started.close();
    }
    for (FakeService fake : fakes) {
      fake.close();
    }
    clock.shutdown();
    telemetry.close();
  }

  @Override
  public String toString() {
    return "test mesh (seed " + seed + ", " + clock + ") with " + fakes;
  }
}
