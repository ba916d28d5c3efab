package dev.meshwork.test;

import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.tls.MeshTls;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The failures every service on the mesh should survive, each run in one call against your own
 * configuration of the service: three fake instances stand in for the real ones (the checklist
 * replaces the service's discovery with theirs), the mesh runs on virtual time, and a scenario that
 * does not hold fails with what went wrong and the traces of the calls concerned.
 *
 * <pre>{@code
 * MeshChecklist checklist = MeshChecklist.forService("mathoid", s -> s
 *     .timeout(Duration.ofSeconds(2))
 *     .retries(RetryPolicy.builder().maxAttempts(3).build()));
 * checklist.oneEndpointFailing();
 * checklist.allEndpointsFailing();
 * checklist.slowEndpoint();
 * checklist.deploy();
 * checklist.certificateRotation();
 * }</pre>
 */
public final class MeshChecklist {
  private static final int CALLS = 90;

  private final String service;
  private final Consumer<ServiceConfig.Builder> config;
  private Consumer<MeshBuilder> meshWide = b -> {};
  private long seed = 1;
  private String path = "/";

  private MeshChecklist(String service, Consumer<ServiceConfig.Builder> config) {
    this.service = service;
    this.config = config;
  }

  /**
   * The checklist for {@code service} as {@code config} configures it (your own code: policies,
   * routes, timeouts; its discovery is replaced by the fakes').
   */
  public static MeshChecklist forService(String service, Consumer<ServiceConfig.Builder> config) {
    FakeService.named(service); // validates the name
    return new MeshChecklist(service, Objects.requireNonNull(config, "config"));
  }

  /** Mesh-wide builder code run before the service is added (zone, unknown hosts, ...). */
  public MeshChecklist mesh(Consumer<MeshBuilder> meshWide) {
    this.meshWide = Objects.requireNonNull(meshWide, "meshWide");
    return this;
  }

  /** The random seed of every scenario's mesh; default 1. */
  public MeshChecklist seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The path the scenarios call, so they match your routes; default {@code /}. */
  public MeshChecklist path(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("checklist path '" + path + "': a path starting with /");
    }
    this.path = path;
    return this;
  }

  /**
   * One of three instances answers 503 to everything: no call may fail, and the instance must stop
   * getting calls (ejected, or out by its health checks) within the first third of the calls.
   */
  public void oneEndpointFailing() {
    try (Scenario run = new Scenario("one endpoint failing", false)) {
      run.fake.endpoint(2).script(s -> s.always().respond(503));
      run.calls(CALLS / 3);
      int before = run.fake.endpoint(2).calls();
      run.calls(2 * CALLS / 3);
      int late = run.fake.endpoint(2).calls() - before;
      run.check(
          late == 0,
          "mathoid-2 answers 503 to everything and still got "
              + late
              + " of the last "
              + (2 * CALLS / 3)
              + " calls: nothing took it out of balancing (outlier detection,"
              + " health checks)");
      run.noFailures();
    }
  }

  /**
   * Every instance answers 503: calls fail, but the retries they make must stay within the
   * service's retry budget, so an outage is not multiplied by the retry count.
   */
  public void allEndpointsFailing() {
    try (Scenario run = new Scenario("all endpoints failing", false)) {
      run.fake.endpoints().forEach(e -> e.script(s -> s.always().respond(503)));
      int calls = 150;
      run.calls(calls);
      RetryBudget budget = run.mesh.mesh().config(service).retryBudget();
      int attempts = run.fake.calls();
      double allowed = budget.enabled() ? calls * (1 + budget.ratio()) + budget.reserve() : calls;
      run.check(
          attempts <= allowed,
          String.format(
              "%d calls during a full outage sent %d attempts (x%.2f): %s",
              calls,
              attempts,
              (double) attempts / calls,
              budget.enabled()
                  ? "more than the retry budget allows (" + budget + ")"
                  : "the retry budget is disabled, so every call is retried as often as the"
                      + " policy says; enable one (RetryBudget.defaults())"));
    }
  }

  /**
   * One instance answers slowly (400 ms of virtual time, holding each call 100 ms of real time)
   * while four callers call at once: the balancer must move away from it, sending it less than half
   * its fair share, and no call may fail.
   */
  public void slowEndpoint() {
    try (Scenario run = new Scenario("slow endpoint", false)) {
      run.fake
          .endpoint(2)
          .script(s -> s.always().delay(Duration.ofMillis(400)).hold(Duration.ofMillis(300)));
      run.concurrentCalls(4, CALLS);
      double share = (double) run.fake.endpoint(2).calls() / run.fake.calls();
      run.check(
          share < 0.25,
          String.format(
              "the slow mathoid-2 still got %.0f%% of the calls made at once (fair share 33%%):"
                  + " the balancer (%s) does not move away from it",
              100 * share, run.mesh.mesh().config(service).loadBalancer()));
      run.noFailures();
    }
  }

  /**
   * A rolling deploy: one by one, each instance stops listening before discovery catches up (as a
   * terminating pod does), then is replaced by a new one. No call may fail.
   */
  public void deploy() {
    try (Scenario run = new Scenario("deploy", false)) {
      for (int number = 1; number <= 3; number++) {
        run.fake.endpoint(number).script(FaultScript::refuse);
        run.calls(CALLS / 9);
        run.fake.replace(number);
        run.calls(CALLS / 9);
      }
      run.noFailures();
    }
  }

  /**
   * Mutual TLS from a CA on virtual time, caller and instances renewing their 24 h certificates:
   * across 48 hours, with the caller's idle connections closed after each 16 h so new handshakes
   * use the current certificates, no call may fail and the caller must have presented at least
   * three leaves.
   */
  public void certificateRotation() {
    try (Scenario run = new Scenario("certificate rotation", true)) {
      Set<BigInteger> presented = new HashSet<>();
      for (int step = 0; step < 3; step++) {
        run.calls(CALLS / 9);
        presented.add(run.tls.source().current().leaf().getSerialNumber());
        run.mesh.time().advance(Duration.ofHours(16));
        run.client.connectionPool().evictAll(); // the next calls handshake with today's leaves
      }
      run.calls(CALLS / 9);
      presented.add(run.tls.source().current().leaf().getSerialNumber());
      run.check(
          presented.size() >= 3,
          "the caller presented " + presented.size() + " certificates over 48 h of 24 h leaves");
      run.noFailures();
    }
  }

  /** One scenario's test mesh, fakes and findings. */
  private final class Scenario implements AutoCloseable {
    final String name;
    final TestMesh mesh = TestMesh.create(seed);
    final FakeService fake;
    final MeshTls tls;
    final OkHttpClient client;
    final List<String> failures = new ArrayList<>();
    int made;

    Scenario(String name, boolean tls) {
      this.name = name;
      FakeService.Builder spec = FakeService.named(service).endpoints(3);
      this.fake = mesh.fake(tls ? spec.tls() : spec);
      this.tls = tls ? mesh.tls("checklist") : null;
      try {
        mesh.start(
            b -> {
              meshWide.accept(b);
              if (this.tls != null) {
                b.security(this.tls);
              }
              b.service(
                  service,
                  s -> {
                    config.accept(s);
                    s.discovery(fake.discovery());
                  });
            });
      } catch (MeshConfigException e) {
        mesh.close();
        throw new AssertionError(
            prefix()
                + " cannot build the mesh: "
                + e.getMessage()
                + " (the checklist gives the"
                + " service its fakes' discovery: configure it with discovery(...), not"
                + " endpoints(...))",
            e);
      }
      this.client = mesh.client();
    }

    String prefix() {
      return "checklist '" + name + "' for service '" + service + "':";
    }

    void calls(int count) {
      for (int i = 0; i < count; i++) {
        call();
      }
    }

    void concurrentCalls(int threads, int count) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          done.add(pool.submit(this::call));
        }
        for (Future<?> call : done) {
          call.get();
        }
      } catch (Exception e) {
        throw new AssertionError(prefix() + " a caller failed: " + e, e);
      } finally {
        pool.shutdownNow();
      }
    }

    void call() {
      Request request = new Request.Builder().url("http://" + service + path).build();
      String outcome;
      try (Response response = client.newCall(request).execute()) {
        outcome = response.code() < 500 ? null : "answered " + response.code();
      } catch (IOException e) {
        outcome = "failed: " + e.getMessage();
      }
      synchronized (this) {
        made++;
        if (outcome != null) {
          failures.add("call " + made + " " + outcome);
        }
      }
    }

    void noFailures() {
      if (!failures.isEmpty()) {
        throw new AssertionError(
            prefix()
                + " "
                + failures.size()
                + " of "
                + made
                + " calls failed, the first: "
                + failures.get(0)
                + "\n"
                + traces());
      }
    }

    void check(boolean holds, String why) {
      if (!holds) {
        throw new AssertionError(prefix() + " " + why + "\n" + traces());
      }
    }

    /** The last few calls' traces, where a finding is usually explained. */
    private String traces() {
      List<CallTrace> calls = mesh.calls();
      StringBuilder text = new StringBuilder("the last calls:");
      for (CallTrace call : calls.subList(Math.max(0, calls.size() - 3), calls.size())) {
        text.append('\n').append(call);
      }
      return text.toString();
    }

    @Override
    public void close() {
      mesh.close();
    }
  }
}
