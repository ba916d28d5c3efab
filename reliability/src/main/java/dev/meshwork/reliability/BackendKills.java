package dev.meshwork.reliability;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Scenario 1, backend kills: three backends behind the mesh take a paced mix of GETs and POSTs
 * (each POST carries a unique id and is not marked idempotent) while a backend is killed and
 * restarted over and over: by default the three in turn, one down at a time, because the mesh
 * ejects a failing backend for 30 s or more and killing an ejected one shows nothing ({@code
 * --victims 1} kills the same one every time). Every call is tracked to its outcome; the backends
 * count each POST id they receive.
 *
 * <p>Reports calls lost (never answered and never failed: 0), POSTs delivered twice (0), the GET
 * success rate (at least 99.9%), and whether every POST failure reached the caller as an exception
 * naming the endpoint. Full form: 500 calls/s, 1,000 kills; reduced: 200 calls/s, 50 kills.
 */
public final class BackendKills {
  static final String CALL_ID = "x-call-id";
  private static final MediaType JSON = MediaType.get("application/json");

  private BackendKills() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Harness.finish(run(options, MeshClock.system()), options);
  }

  public static Report run(Options options, MeshClock clock) throws Exception {
    double rate = options.number("rate", 500, 200);
    int kills = options.integer("kills", 1000, 50);
    Duration up = options.duration("up", Duration.ofMillis(600), Duration.ofMillis(300));
    Duration down = options.duration("down", Duration.ofMillis(300), Duration.ofMillis(150));
    double postShare = options.number("post-share", 0.5, 0.5);
    Duration drain = options.duration("drain", Duration.ofSeconds(30), Duration.ofSeconds(30));
    // Calls before the first kill: a kill while the JVM is still cold fails many calls at once,
    // enough to open the service's breaker (it judges from 20 calls on), which is not this
    // scenario.
    Duration warmup = options.duration("warmup", Duration.ofSeconds(5), Duration.ofSeconds(2));
    // The mesh ejects a backend that fails and keeps it out 30 s or more: killing always the same
    // one would mostly kill a backend no call goes to. By default the kills go round the three,
    // one down at a time; --victims 1 kills the same one every time.
    int victims = options.integer("victims", 3, 3);
    Report report = new Report("backend-kills", options, clock.now());

    Map<String, AtomicInteger> postsReceived = new ConcurrentHashMap<>();
    List<Backend> backends = new ArrayList<>();
    ScheduledExecutorService scheduler = Harness.scheduler("backend-kills", 2);
    try {
      for (int i = 0; i < 3; i++) {
        String name = "orders-" + i;
        backends.add(
            Backend.plain(
                name,
                (exchange, body) -> {
                  if (exchange.getRequestMethod().equals("POST")) {
                    String id = exchange.getRequestHeaders().getFirst(CALL_ID);
                    postsReceived.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                  }
                  return Backend.Answer.of(200, name);
                }));
      }
      List<String> addresses = backends.stream().map(Backend::address).toList();
      try (Mesh mesh =
          Mesh.builder()
              .clock(clock)
              .service("orders", s -> s.endpoints(addresses.toArray(String[]::new)))
              .build()) {
        OkHttpClient client = MeshOkHttp.of(mesh).client();
        CallLedger ledger = new CallLedger(clock);
        Tally tally = new Tally();
        Set<String> failedPosts = ConcurrentHashMap.newKeySet();
        Duration cycle = up.plus(down);
        Duration length = warmup.plus(cycle.multipliedBy(kills)).plus(up);

        CountDownLatch killsDone = new CountDownLatch(1);
        AtomicReference<Throwable> killerFailure = new AtomicReference<>();
        AtomicInteger killed = new AtomicInteger();
        AtomicInteger killsInUse = new AtomicInteger();
        ScheduledFuture<?> killer =
            scheduler.scheduleAtFixedRate(
                () -> {
                  if (killed.get() >= kills) {
                    return;
                  }
                  Backend victim = backends.get(killed.get() % victims);
                  if (inUse(mesh, victim)) {
                    killsInUse.incrementAndGet();
                  }
                  victim.kill();
                  var unused =
                      scheduler.schedule(
                          () -> {
                            try {
                              Backend.restartUnchecked(victim);
                            } catch (RuntimeException e) {
                              killerFailure.compareAndSet(null, e);
                            }
                            if (killed.incrementAndGet() == kills) {
                              killsDone.countDown();
                            }
                          },
                          down.toNanos(),
                          TimeUnit.NANOSECONDS);
                },
                warmup.plus(up).toNanos(),
                cycle.toNanos(),
                TimeUnit.NANOSECONDS);

        long offered =
            Pacer.run(
                scheduler,
                clock,
                rate,
                length,
                n ->
                    offer(
                        client,
                        ledger,
                        tally,
                        failedPosts,
                        n,
                        (n * 37) % 100 < postShare * 100,
                        addresses));
        boolean allKilled = killsDone.await(length.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        killer.cancel(false);
        int lost = ledger.awaitAllEnded(drain);

        long duplicates = postsReceived.values().stream().filter(n -> n.get() > 1).count();
        long gets = tally.get("GET");
        long getOk = tally.get("GET 200");
        double getRate = gets == 0 ? 0 : (double) getOk / gets;
        long postFailures = tally.get("POST failed");
        long postNamed = tally.get("POST failed naming its endpoint");
        long postFailedDelivered = failedPosts.stream().filter(postsReceived::containsKey).count();

        report.figure("calls offered", offered);
        report.figure("offered rate (calls/s)", rate);
        report.check("backend kills and restarts", killed.get(), "= " + kills, allKilled);
        if (killerFailure.get() != null) {
          report.check("restart failures", killerFailure.get().toString(), "none", false);
        }
        report.check("calls lost (never answered, never failed)", lost, "0", lost == 0);
        report.check("calls with two outcomes", ledger.endedTwice(), "0", ledger.endedTwice() == 0);
        report.check("POSTs delivered twice", duplicates, "0", duplicates == 0);
        report.figure("GETs", gets);
        report.check(
            "GET success rate",
            Report.percent(getRate) + " (" + getOk + "/" + gets + ")",
            ">= 99.9%",
            gets > 0 && getRate >= 0.999);
        report.figure("POSTs", tally.get("POST"));
        report.figure("POSTs answered 200", tally.get("POST 200"));
        report.figure("POSTs received by a backend", postsReceived.size());
        report.figure("POST failures", postFailures);
        report.figure("POST failures the backend had received", postFailedDelivered);
        report.check(
            "POST failures surfaced as exceptions naming the endpoint",
            postNamed + "/" + postFailures,
            "all",
            postNamed == postFailures);
        report.figure("answers other than 200", tally.get("not 200"));
        report.figure("kills of a backend in use (not ejected)", killsInUse.get());
        report.figure(
            "answers a killed backend could not write",
            backends.stream().mapToLong(Backend::answersLost).sum());
        Harness.failureKinds(report, "failures", tally);
        for (String open : ledger.describeOpen(5)) {
          report.note("lost: " + open);
        }
      }
    } finally {
      scheduler.shutdownNow();
      backends.forEach(Backend::close);
    }
    return report;
  }

  private static boolean inUse(Mesh mesh, Backend backend) {
    return mesh.endpointStatus("orders").stream()
        .anyMatch(s -> s.endpoint().address().equals(backend.address()) && s.usable());
  }

  private static void offer(
      OkHttpClient client,
      CallLedger ledger,
      Tally tally,
      Set<String> failedPosts,
      long n,
      boolean post,
      List<String> addresses) {
    String kind = post ? "POST" : "GET";
    long id = ledger.start(kind);
    String callId = kind + "-" + n;
    Request.Builder request =
        new Request.Builder().url("http://orders/orders/" + n).header(CALL_ID, callId);
    if (post) {
      request.post(RequestBody.create("{\"order\":\"" + callId + "\"}", JSON));
    }
    tally.add(kind);
    client
        .newCall(request.build())
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  response.body().string();
                  tally.add(kind + " " + response.code());
                  if (response.code() != 200) {
                    tally.add("not 200");
                  }
                } catch (IOException e) {
                  tally.failure(kind + " body", e);
                } finally {
                  ledger.end(id);
                }
              }

              @Override
              public void onFailure(Call call, IOException e) {
                try {
                  tally.failure(kind, e);
                  if (post) {
                    tally.add("POST failed");
                    failedPosts.add(callId);
                    String message = String.valueOf(e.getMessage());
                    if (addresses.stream().anyMatch(message::contains)) {
                      tally.add("POST failed naming its endpoint");
                    }
                  }
                } finally {
                  ledger.end(id);
                }
              }
            });
  }
}
