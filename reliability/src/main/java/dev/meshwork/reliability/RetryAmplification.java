package dev.meshwork.reliability;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Scenario 2, retry amplification: every backend answers 503 (a status the mesh retries) for a
 * while, then heals, under paced GETs (idempotent, so retried whenever the policy allows). The
 * backends count the attempts that reach them; each request says in which phase its call was
 * offered, so attempts are charged to the phase of their call.
 *
 * <p>Reports attempts per offered call while failing (target: attempts at most 1.2 times the calls
 * plus 10 per second of failure, the retry budget's promise) and the time to recover after the
 * heal: from the heal to the offer of the last call that failed, when every later call succeeded.
 * Full form: 1,000 calls/s, 60 s failing; reduced: 200 calls/s, 10 s failing.
 */
public final class RetryAmplification {
  static final String PHASE = "x-phase";

  private RetryAmplification() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Harness.finish(run(options, MeshClock.system()), options);
  }

  public static Report run(Options options, MeshClock clock) throws Exception {
    double rate = options.number("rate", 1000, 200);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(10), Duration.ofSeconds(3));
    Duration failing = options.duration("failing", Duration.ofSeconds(60), Duration.ofSeconds(10));
    Duration healed = options.duration("healed", Duration.ofSeconds(30), Duration.ofSeconds(17));
    Duration drain = options.duration("drain", Duration.ofSeconds(30), Duration.ofSeconds(30));
    Report report = new Report("retry-amplification", options, clock.now());

    Phases phases = new Phases(clock, warmup, failing);
    AtomicLong failingAttempts = new AtomicLong();
    List<Backend> backends = new ArrayList<>();
    ScheduledExecutorService scheduler = Harness.scheduler("retry-amplification", 1);
    try {
      for (int i = 0; i < 3; i++) {
        String name = "render-" + i;
        backends.add(
            Backend.plain(
                name,
                (exchange, body) -> {
                  if ("failing".equals(exchange.getRequestHeaders().getFirst(PHASE))) {
                    failingAttempts.incrementAndGet();
                  }
                  return phases.failingNow()
                      ? Backend.Answer.of(503, name + " is failing")
                      : Backend.Answer.of(200, name);
                }));
      }
      String[] addresses = backends.stream().map(Backend::address).toArray(String[]::new);
      try (Mesh mesh =
          Mesh.builder().clock(clock).service("render", s -> s.endpoints(addresses)).build()) {
        OkHttpClient client = MeshOkHttp.of(mesh).client();
        CircuitBreakerPolicy breaker = mesh.config("render").circuitBreaker();
        CallLedger ledger = new CallLedger(clock);
        Tally tally = new Tally();
        AtomicLong lastFailedOfferAfterHeal = new AtomicLong(Long.MIN_VALUE);
        AtomicLong failuresAfterHeal = new AtomicLong();
        phases.start();
        long offered =
            Pacer.run(
                scheduler,
                clock,
                rate,
                warmup.plus(failing).plus(healed),
                n -> {
                  long offeredAt = clock.nanoTime();
                  String phase = phases.phaseAt(offeredAt);
                  tally.add("offered " + phase);
                  long id = ledger.start("GET");
                  Request request =
                      new Request.Builder()
                          .url("http://render/formula/" + n)
                          .header(PHASE, phase)
                          .build();
                  client
                      .newCall(request)
                      .enqueue(
                          new Callback() {
                            @Override
                            public void onResponse(Call call, Response response) {
                              try (response) {
                                response.body().string();
                                boolean ok = response.code() == 200;
                                tally.add(phase + (ok ? " 200" : " " + response.code()));
                                if (!ok) {
                                  afterHeal(phase, offeredAt);
                                }
                              } catch (IOException e) {
                                tally.failure(phase, e);
                                afterHeal(phase, offeredAt);
                              } finally {
                                ledger.end(id);
                              }
                            }

                            @Override
                            public void onFailure(Call call, IOException e) {
                              try {
                                tally.failure(phase, e);
                                afterHeal(phase, offeredAt);
                              } finally {
                                ledger.end(id);
                              }
                            }

                            private void afterHeal(String phase, long offeredAt) {
                              if (phase.equals("healed")) {
                                failuresAfterHeal.incrementAndGet();
                                lastFailedOfferAfterHeal.accumulateAndGet(offeredAt, Math::max);
                              }
                            }
                          });
                });
        int lost = ledger.awaitAllEnded(drain);

        long failingCalls = tally.get("offered failing");
        double seconds = failing.toNanos() / 1e9;
        double bound = 1.2 * failingCalls + 10 * seconds;
        long attempts = failingAttempts.get();
        long last = lastFailedOfferAfterHeal.get();
        Duration recovery =
            last == Long.MIN_VALUE ? Duration.ZERO : Duration.ofNanos(last - phases.healedAt());
        // The breaker may have opened just before the heal; it lets calls through again after its
        // open duration, and then its probes must succeed.
        Duration recoveryBound = breaker.openDuration().plusSeconds(5);
        if (healed.compareTo(recoveryBound.plusSeconds(1)) <= 0) {
          report.note(
              "the healed phase ("
                  + Options.format(healed)
                  + ") is not longer than the recovery bound: a slow recovery would not show");
        }

        report.figure("calls offered", offered);
        report.figure("offered rate (calls/s)", rate);
        report.check("calls lost (never answered, never failed)", lost, "0", lost == 0);
        report.figure("calls offered while failing", failingCalls);
        report.figure("attempts that reached a backend while failing", attempts);
        report.check(
            "attempts per offered call while failing",
            String.format(
                Locale.ROOT,
                "%.3f (%d attempts, bound %.0f)",
                failingCalls == 0 ? 0 : (double) attempts / failingCalls,
                attempts,
                bound),
            "<= 1.2 x calls + 10/s x " + Options.format(failing),
            failingCalls > 0 && attempts <= bound);
        report.check(
            "time to recover after the heal",
            recovery.toMillis() + " ms (" + failuresAfterHeal.get() + " calls failed after it)",
            "<= " + recoveryBound.toMillis() + " ms (breaker open duration + 5 s)",
            recovery.compareTo(recoveryBound) <= 0
                && recovery.compareTo(healed.minusSeconds(1)) < 0);
        report.figure(
            "healed-phase calls answered 200",
            tally.get("healed 200") + "/" + tally.get("offered healed"));
        report.figure(
            "warm-up calls answered 200",
            tally.get("warmup 200") + "/" + tally.get("offered warmup"));
        report.figure("failing-phase answers 503", tally.get("failing 503"));
        report.figure("breaker state at the end", mesh.snapshot().service("render").breaker());
        Harness.failureKinds(report, "failures", tally);
      }
    } finally {
      scheduler.shutdownNow();
      backends.forEach(Backend::close);
    }
    return report;
  }

  /** Which phase a moment of the run belongs to, by the clock. */
  static final class Phases {
    private final MeshClock clock;
    private final Duration warmup;
    private final Duration failing;
    private final AtomicReference<Long> start = new AtomicReference<>();

    Phases(MeshClock clock, Duration warmup, Duration failing) {
      this.clock = clock;
      this.warmup = warmup;
      this.failing = failing;
    }

    void start() {
      start.set(clock.nanoTime());
    }

    String phaseAt(long nanos) {
      long elapsed = nanos - start.get();
      if (elapsed < warmup.toNanos()) {
        return "warmup";
      }
      return elapsed < warmup.plus(failing).toNanos() ? "failing" : "healed";
    }

    boolean failingNow() {
      return start.get() != null && phaseAt(clock.nanoTime()).equals("failing");
    }

    long healedAt() {
      return start.get() + warmup.plus(failing).toNanos();
    }
  }
}
