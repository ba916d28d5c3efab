package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates with a lifetime of seconds, rotated over and over on both sides while calls run
 * concurrently through the shared transport against two mutual-TLS backends. Time is a clock the
 * test moves, so a rotation happens exactly when the test says, mid-burst, with calls in flight.
 */
class RotationUnderLoadTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final Duration LIFETIME = Duration.ofSeconds(5);

  /** Past the latest renewal time (60% of the lifetime), well before expiry. */
  private static final Duration STEP = Duration.ofMillis(3100);

  private static final int ROUNDS = 25;
  private static final int WORKERS = 8;
  private static final int CALLS_PER_WORKER = 10;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

  /** Wall time moves only when the test says; intervals are real. */
  private final MeshClock clock =
      new MeshClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return now.get();
        }
      };

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);

  @AfterEach
  void close() throws Exception {
    workers.shutdownNow();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void everyCallSucceedsAcrossManyRotationsAndNewConnectionsPresentTheNewCertificate()
      throws Exception {
    BuiltInCa ca = BuiltInCa.builder().clock(clock).build();
    BuiltInCaSource client = source(ca, RESTBASE);
    BuiltInCaSource serverOne = source(ca, MATHOID);
    BuiltInCaSource serverTwo = source(ca, MATHOID);
    AtomicInteger clientRotations = new AtomicInteger();
    client.addListener(identity -> clientRotations.incrementAndGet());
    TlsBackend one = backend("mathoid-1", serverOne);
    TlsBackend two = backend("mathoid-2", serverTwo);
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .security(MeshTls.builder().source(client).build())
            .service("mathoid", s -> s.endpoints(one.address(), two.address()))
            .build();
    resources.add(0, mesh);
    MeshOkHttp http = MeshOkHttp.of(mesh);
    OkHttpClient okhttp = http.client();

    AtomicInteger failures = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Set<BigInteger> serverSerialsSeen = ConcurrentHashMap.newKeySet();
    int calls = 0;
    for (int round = 0; round < ROUNDS; round++) {
      BigInteger serialAtStart = client.current().leaf().getSerialNumber();
      int rotationsBefore = clientRotations.get();
      CountDownLatch someDone = new CountDownLatch(WORKERS * CALLS_PER_WORKER / 4);
      CountDownLatch allDone = new CountDownLatch(WORKERS);
      for (int w = 0; w < WORKERS; w++) {
        workers.execute(
            () -> {
              try {
                for (int i = 0; i < CALLS_PER_WORKER; i++) {
                  try (Response response =
                      okhttp
                          .newCall(new Request.Builder().url("http://mathoid/").build())
                          .execute()) {
                    String body = response.body().string();
                    if (response.code() != 200 || !body.endsWith(" saw " + RESTBASE)) {
                      throw new AssertionError("unexpected answer " + response.code() + " " + body);
                    }
                    serverSerialsSeen.add(
                        ((X509Certificate) response.handshake().peerCertificates().get(0))
                            .getSerialNumber());
                  } catch (Throwable t) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, t);
                  }
                  someDone.countDown();
                }
              } finally {
                allDone.countDown();
              }
            });
      }
      assertTrue(someDone.await(30, TimeUnit.SECONDS), "round " + round + ": calls are running");

      // Rotate every identity while the rest of the burst is in flight.
      now.updateAndGet(instant -> instant.plus(STEP));
      client.renewIfDue();
      serverOne.renewIfDue();
      serverTwo.renewIfDue();
      assertEquals(
          rotationsBefore + 1,
          clientRotations.get(),
          "round " + round + ": the client rotated once");

      assertTrue(allDone.await(30, TimeUnit.SECONDS), "round " + round + ": the burst finished");
      calls += WORKERS * CALLS_PER_WORKER;
      assertTrue(
          one.clientSerials.contains(serialAtStart) || two.clientSerials.contains(serialAtStart),
          "round "
              + round
              + ": the burst started on an empty pool, so its new connections presented"
              + " the certificate current at its start");
      http.connectionPool().evictAll(); // nothing is in flight: the next burst must connect anew
    }

    assertEquals(
        0,
        failures.get(),
        () ->
            failures.get()
                + " of "
                + ROUNDS * WORKERS * CALLS_PER_WORKER
                + " calls failed; the first: "
                + firstFailure.get());
    assertEquals(ROUNDS * WORKERS * CALLS_PER_WORKER, calls);
    assertTrue(clientRotations.get() >= 20, "rotations: " + clientRotations.get());
    Set<BigInteger> clientSerialsSeen = ConcurrentHashMap.newKeySet();
    clientSerialsSeen.addAll(one.clientSerials);
    clientSerialsSeen.addAll(two.clientSerials);
    assertTrue(
        clientSerialsSeen.size() >= ROUNDS,
        "the servers saw " + clientSerialsSeen.size() + " client certificates");
    assertTrue(
        serverSerialsSeen.size() >= ROUNDS,
        "the client saw " + serverSerialsSeen.size() + " server certificates");

    // Once everything is idle and evicted, the next call handshakes with the newest certificates.
    assertEquals(200, status(okhttp));
    BigInteger newest = client.current().leaf().getSerialNumber();
    assertTrue(one.clientSerials.contains(newest) || two.clientSerials.contains(newest));
  }

  private static int status(OkHttpClient okhttp) throws Exception {
    try (Response response =
        okhttp.newCall(new Request.Builder().url("http://mathoid/").build()).execute()) {
      return response.code();
    }
  }

  private BuiltInCaSource source(BuiltInCa ca, SpiffeId id) {
    BuiltInCaSource source =
        BuiltInCaSource.builder().ca(ca).spiffeId(id).clock(clock).leafLifetime(LIFETIME).build();
    resources.add(source);
    return source;
  }

  private TlsBackend backend(String name, BuiltInCaSource source) throws Exception {
    TlsBackend backend = new TlsBackend(name, source, clock);
    resources.add(backend);
    return backend;
  }
}
