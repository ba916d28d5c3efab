package dev.meshwork.reliability;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.okhttp.MeshOkHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Scenario 5, soak: a long run of paced calls of which 10% are answered 500, 5% are cancelled by
 * the caller while the backend holds them, and 2% outlast the service's deadline, through a mesh
 * with metrics and the decision log on. Before (after a warm-up) and after, with no call in flight:
 * live threads, open file descriptors, pooled connections, the heap retained after full
 * collections, and the mesh's per-call structures.
 *
 * <p>Targets: the retained heap flat within 5%; no other thread (the transport's call threads
 * follow the load and idle out after 60 s), no connection held and no socket, pipe or event
 * descriptor added once idle connections are closed; no growth in any per-call structure (requests
 * in flight, dispatched calls, meters; kept decisions within their capacity, no meter per call); no
 * call lost. Full form: 1,000,000 calls; reduced: 15,000.
 */
public final class Soak {
  static final String KIND = "x-soak";
  private static final int DECISIONS = 256;

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Harness.finish(run(options, MeshClock.system()), options);
  }

  public static Report run(Options options, MeshClock clock) throws Exception {
    int calls = options.integer("calls", 1_000_000, 15_000);
    int warmupCalls = options.integer("warmup-calls", 50_000, 4_000);
    double rate = options.number("rate", 2000, 1000);
    Duration deadline = options.duration("deadline", Duration.ofSeconds(1), Duration.ofSeconds(1));
    Duration cancelAfter =
        options.duration("cancel-after", Duration.ofMillis(50), Duration.ofMillis(50));
    Duration drain = options.duration("drain", Duration.ofSeconds(30), Duration.ofSeconds(30));
    Report report = new Report("soak", options, clock.now());

    ScheduledExecutorService scheduler = Harness.scheduler("soak", 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SoakBackends backends = new SoakBackends(deadline, cancelAfter)) {
      String[] addresses = backends.addresses().toArray(String[]::new);
      try (Mesh mesh =
          Mesh.builder()
              .clock(clock)
              .telemetry(Telemetry.builder().meterRegistry(registry).build())
              .decisions(DECISIONS)
              .service("soak", s -> s.endpoints(addresses).timeout(deadline))
              .build()) {
        MeshOkHttp http = MeshOkHttp.of(mesh);
        OkHttpClient client = http.client();
        CallLedger ledger = new CallLedger(clock);
        Tally tally = new Tally();

        Pacer.run(
            scheduler,
            clock,
            rate,
            Duration.ofNanos((long) (warmupCalls / rate * 1e9)),
            n -> offer(client, scheduler, ledger, tally, n, cancelAfter));
        int lostInWarmup = ledger.awaitAllEnded(drain);
        Resources before = Resources.take(mesh, http, registry, "soak");

        long offered =
            Pacer.run(
                scheduler,
                clock,
                rate,
                Duration.ofNanos((long) (calls / rate * 1e9)),
                n -> offer(client, scheduler, ledger, tally, warmupCalls + n, cancelAfter));
        int lost = ledger.awaitAllEnded(drain);
        Resources after = Resources.take(mesh, http, registry, "soak");

        report.figure("calls offered (after the warm-up)", offered);
        report.figure("warm-up calls", warmupCalls);
        report.figure("offered rate (calls/s)", rate);
        report.check(
            "calls lost (never answered, never failed)",
            lost + lostInWarmup,
            "0",
            lost + lostInWarmup == 0);
        report.check("calls with two outcomes", ledger.endedTwice(), "0", ledger.endedTwice() == 0);
        report.figure(
            "outcomes",
            String.format(
                Locale.ROOT,
                "ok %d, error answered 500 %d, cancelled %d, timed out %d, other %d",
                tally.get("ok 200"),
                tally.get("error 500"),
                tally.get("cancel failed"),
                tally.get("timeout failed"),
                tally.get("unexpected")));
        double heapRatio = (double) after.heapBytes() / before.heapBytes();
        report.check(
            "retained heap after full GC, before -> after",
            mib(before.heapBytes())
                + " -> "
                + mib(after.heapBytes())
                + String.format(Locale.ROOT, " (%+.1f%%)", (heapRatio - 1) * 100),
            "no growth beyond 5%",
            heapRatio <= 1.05);
        Map<String, Integer> threadsAdded = after.threadsAddedSince(before);
        report.check(
            "live threads, before -> after (of which transport call threads)",
            before.threads()
                + " ("
                + before.callThreads()
                + ") -> "
                + after.threads()
                + " ("
                + after.callThreads()
                + "); other threads added: "
                + threadsAdded,
            "no other thread added",
            threadsAdded.isEmpty());
        report.figure(
            "pooled connections (idle), before -> after",
            before.pooled()
                + " ("
                + before.idle()
                + ") -> "
                + after.pooled()
                + " ("
                + after.idle()
                + ")");
        report.check(
            "connections held with no call in flight, before -> after",
            before.held() + " -> " + after.held(),
            "0 -> 0",
            before.held() == 0 && after.held() == 0);
        report.check(
            "open file descriptors without idle connections, before -> after (of which sockets,"
                + " pipes and event descriptors)",
            before.descriptors()
                + " ("
                + before.channels()
                + ") -> "
                + after.descriptors()
                + " ("
                + after.channels()
                + ")",
            "no socket, pipe or event descriptor added",
            after.channels() <= before.channels());
        report.check(
            "requests in flight on the endpoints (mesh snapshot), before -> after",
            before.inFlight() + " -> " + after.inFlight(),
            "0 -> 0",
            before.inFlight() == 0 && after.inFlight() == 0);
        report.check(
            "async calls running or queued in the dispatcher, before -> after",
            before.dispatched() + " -> " + after.dispatched(),
            "0 -> 0",
            before.dispatched() == 0 && after.dispatched() == 0);
        Set<String> added = new TreeSet<>(after.meters());
        added.removeAll(before.meters());
        // A meter per outcome kind seen for the first time is bounded; one per call is not.
        long perCall = after.meters().stream().filter(id -> id.contains("/items/")).count();
        report.figure(
            "meters in the registry, before -> after",
            before.meters().size() + " -> " + after.meters().size() + " (added: " + added + ")");
        report.check(
            "meters tagged with a per-call value (the raw path)", perCall, "0", perCall == 0);
        // MeshBuilder.decisions(n) keeps n decisions and, in a ring of their own, n / 4 picks.
        int kept = DECISIONS + DECISIONS / 4;
        report.check(
            "decisions kept, before -> after",
            before.decisions() + " -> " + after.decisions(),
            "<= " + kept,
            after.decisions() <= kept);
        Harness.failureKinds(report, "unexpected outcomes", tally);
      }
    } finally {
      scheduler.shutdownNow();
      registry.close();
    }
    return report;
  }

  /** Call {@code n}: 10% errors, 5% cancelled by the caller, 2% past the deadline, the rest ok. */
  static String kindOf(long n) {
    long slot = (n * 37) % 100;
    if (slot < 10) {
      return "error";
    }
    if (slot < 15) {
      return "cancel";
    }
    return slot < 17 ? "timeout" : "ok";
  }

  private static void offer(
      OkHttpClient client,
      ScheduledExecutorService scheduler,
      CallLedger ledger,
      Tally tally,
      long n,
      Duration cancelAfter) {
    String kind = kindOf(n);
    long id = ledger.start(kind);
    Call call =
        client.newCall(
            new Request.Builder().url("http://soak/items/" + n).header(KIND, kind).build());
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              response.body().string();
              String outcome = kind + " " + response.code();
              tally.add(outcome);
              if (!outcome.equals("ok 200") && !outcome.equals("error 500")) {
                tally.add("unexpected");
                tally.failure(outcome, new IOException("answered " + response.code()));
              }
            } catch (IOException e) {
              unexpectedFailure(e);
            } finally {
              ledger.end(id);
            }
          }

          @Override
          public void onFailure(Call c, IOException e) {
            try {
              if (kind.equals("cancel") || kind.equals("timeout")) {
                tally.add(kind + " failed");
              } else {
                unexpectedFailure(e);
              }
            } finally {
              ledger.end(id);
            }
          }

          private void unexpectedFailure(IOException e) {
            tally.add("unexpected");
            tally.failure(kind, e);
          }
        });
    if (kind.equals("cancel")) {
      var unused = scheduler.schedule(call::cancel, cancelAfter.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
