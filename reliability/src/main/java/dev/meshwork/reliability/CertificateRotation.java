package dev.meshwork.reliability;

import com.sun.net.httpserver.HttpsExchange;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PeerAuthorizer;
import dev.meshwork.tls.PeerNotAuthorizedException;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustBundle;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import okhttp3.OkHttpClient;

/**
 * Scenario 3, certificate rotation under load: a client and three servers over mutual TLS, each
 * reading its certificate files with a {@link PemFileSource} ({@link PemWorkload}). Every {@code
 * rotation} each workload gets a new key and leaf; in the middle of the run one trust-anchor
 * rotation in three steps: every bundle adds the new CA, then every leaf comes from the new CA,
 * then every bundle drops the old one. The servers re-check each request's caller against their
 * current bundle ({@link PeerAuthorizer#authorize(SSLSession, java.util.function.Supplier)}, as
 * {@link MeshSslContexts} advises a server that must drop callers of a removed anchor) and refuse
 * one that no longer verifies.
 *
 * <p>Reports failed calls (0), TLS handshakes, and connections reused after their anchor was
 * removed (0): requests the client wrote on a connection to a server of the old CA taken after it
 * dropped the old anchor, and requests a server got from a caller of the old CA after it dropped
 * it. Full form: 2,000 calls/s for 30 minutes, a rotation every minute; reduced: 200 calls/s for 30
 * s, a rotation every 5 s.
 */
public final class CertificateRotation {
  private static final SpiffeId CLIENT =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId SERVER =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  private CertificateRotation() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Harness.finish(run(options, MeshClock.system()), options);
  }

  public static Report run(Options options, MeshClock clock) throws Exception {
    double rate = options.number("rate", 2000, 200);
    Duration length = options.duration("length", Duration.ofMinutes(30), Duration.ofSeconds(30));
    Duration rotation = options.duration("rotation", Duration.ofMinutes(1), Duration.ofSeconds(5));
    Duration poll = options.duration("poll", Duration.ofSeconds(1), Duration.ofMillis(250));
    double postShare = options.number("post-share", 0.2, 0.2);
    Duration drain = options.duration("drain", Duration.ofSeconds(30), Duration.ofSeconds(30));
    // The anchor rotation's three steps, as fractions of the run.
    Duration addNewCa = length.multipliedBy(3).dividedBy(10);
    Duration issueFromNewCa = length.multipliedBy(5).dividedBy(10);
    Duration dropOldCa = length.multipliedBy(7).dividedBy(10);
    boolean anchors = Boolean.parseBoolean(options.text("anchor-rotation", "true", "true"));
    Duration leafLifetime = rotation.multipliedBy(4).plusMinutes(5);
    Report report = new Report("certificate-rotation", options, clock.now());

    BuiltInCa oldCa = BuiltInCa.builder().build();
    BuiltInCa newCa = BuiltInCa.builder().build();
    AtomicReference<BuiltInCa> issuing = new AtomicReference<>(oldCa);
    Path dir = Files.createTempDirectory("certificate-rotation");
    List<PemWorkload> workloads = new ArrayList<>();
    List<Backend> servers = new ArrayList<>();
    AtomicLong refusedByServers = new AtomicLong();
    AtomicInteger rotations = new AtomicInteger();
    AtomicInteger reloads = new AtomicInteger();
    ScheduledExecutorService scheduler = Harness.scheduler("certificate-rotation", 2);
    try {
      List<java.security.cert.X509Certificate> oldOnly = List.of(oldCa.rootCertificate());
      PemWorkload client =
          new PemWorkload(dir.resolve("client"), CLIENT, oldCa, leafLifetime, oldOnly, poll);
      workloads.add(client);
      for (int i = 0; i < 3; i++) {
        PemWorkload server =
            new PemWorkload(dir.resolve("server-" + i), SERVER, oldCa, leafLifetime, oldOnly, poll);
        workloads.add(server);
        servers.add(server(i, server.source(), refusedByServers));
      }
      workloads.forEach(w -> w.source().addListener(identity -> reloads.incrementAndGet()));
      String[] addresses = servers.stream().map(Backend::address).toArray(String[]::new);
      try (Mesh mesh =
          Mesh.builder()
              .clock(clock)
              .security(MeshTls.builder().source(client.source()).build())
              .service("mathoid", s -> s.endpoints(addresses))
              .build()) {
        TlsWatch watch = new TlsWatch(oldCa.rootCertificate());
        watch.follow(client.source());
        MeshOkHttp http = MeshOkHttp.of(mesh);
        OkHttpClient okhttp = http.client().newBuilder().eventListener(watch).build();
        CallLedger ledger = new CallLedger(clock);
        Tally tally = new Tally();
        AtomicReference<Throwable> scriptFailure = new AtomicReference<>();

        Runnable rotateLeaves =
            () -> {
              for (PemWorkload workload : workloads) {
                unchecked(() -> workload.rotate(issuing.get(), leafLifetime));
              }
              rotations.incrementAndGet();
            };
        var leaves =
            scheduler.scheduleAtFixedRate(
                guarded(rotateLeaves, scriptFailure),
                rotation.toNanos(),
                rotation.toNanos(),
                TimeUnit.NANOSECONDS);
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        if (anchors) {
          schedule(
              scheduler,
              addNewCa,
              scriptFailure,
              () -> {
                trustAll(workloads, PemWorkload.both(oldCa, newCa));
                steps.add("new CA added to every bundle");
              });
          schedule(
              scheduler,
              issueFromNewCa,
              scriptFailure,
              () -> {
                issuing.set(newCa);
                rotateLeaves.run();
                steps.add("every leaf issued by the new CA");
              });
          schedule(
              scheduler,
              dropOldCa,
              scriptFailure,
              () -> {
                trustAll(workloads, List.of(newCa.rootCertificate()));
                steps.add("old CA removed from every bundle");
              });
        }

        long offered =
            Pacer.run(
                scheduler,
                clock,
                rate,
                length,
                n ->
                    Load.offer(
                        okhttp, ledger, tally, "mathoid", n, (n * 37) % 100 < postShare * 100));
        leaves.cancel(false);
        int lost = ledger.awaitAllEnded(drain);

        long failed = tally.get("failed") + tally.get("not 200");
        report.figure("calls offered", offered);
        report.figure("offered rate (calls/s)", rate);
        report.check("calls lost (never answered, never failed)", lost, "0", lost == 0);
        report.check("failed calls", failed, "0", failed == 0);
        report.figure("requests written by the client", watch.requests());
        report.figure("TLS handshakes by the client", watch.handshakes());
        report.figure(
            "pooled connections at the end (idle)",
            http.connectionPool().connectionCount()
                + " ("
                + http.connectionPool().idleConnectionCount()
                + ")");
        report.figure("leaf rotations (each: client and 3 servers)", rotations.get());
        report.figure("identities reloaded by the 4 sources", reloads.get());
        report.check(
            "anchor rotation steps done",
            steps.toString(),
            "add new CA, issue from it, remove old CA",
            !anchors || (steps.size() == 3 && watch.oldAnchorRemoved()));
        report.check(
            "connections reused after their anchor was removed (client side)",
            watch.reusedAfterRemoval(),
            "0",
            watch.reusedAfterRemoval() == 0);
        report.check(
            "requests from callers of a removed anchor (server side, refused)",
            refusedByServers.get(),
            "0",
            refusedByServers.get() == 0);
        report.check(
            "rotation script failures",
            String.valueOf(scriptFailure.get()),
            "none",
            scriptFailure.get() == null);
        for (PemWorkload workload : workloads) {
          workload
              .source()
              .lastError()
              .ifPresent(error -> report.note(workload.id() + " files not loaded: " + error));
        }
        Harness.failureKinds(report, "failures", tally);
      }
    } finally {
      scheduler.shutdownNow();
      servers.forEach(Backend::close);
      workloads.forEach(PemWorkload::close);
    }
    return report;
  }

  /**
   * A mutual-TLS server built the way a mesh workload builds one, re-checking every request's
   * caller against its current bundle; a caller that no longer verifies gets 403 and the connection
   * is closed.
   */
  private static Backend server(int index, CertificateSource source, AtomicLong refused)
      throws IOException {
    LiveVerifier verifier = LiveVerifier.acceptingAnyMember(source, MeshClock.system());
    PeerAuthorizer authorizer = PeerAuthorizer.builder().allow(CLIENT).build();
    Map<SSLSession, TrustBundle> checked = Collections.synchronizedMap(new WeakHashMap<>());
    String name = "mathoid-" + index;
    return new Backend(
        name,
        InetAddress.getLoopbackAddress(),
        0,
        Optional.of(MeshSslContexts.server(source, verifier)),
        (exchange, body) -> {
          SSLSession session = ((HttpsExchange) exchange).getSSLSession();
          TrustBundle bundle = source.current().trustBundle();
          if (!bundle.equals(checked.get(session))) {
            try {
              authorizer.authorize(session, verifier);
              checked.put(session, bundle);
            } catch (PeerNotAuthorizedException e) {
              refused.incrementAndGet();
              return Backend.Answer.of(403, name + ": " + e.getMessage()).closing();
            }
          }
          return Backend.Answer.of(200, name);
        });
  }

  private static void trustAll(
      List<PemWorkload> workloads, List<java.security.cert.X509Certificate> anchors) {
    for (PemWorkload workload : workloads) {
      unchecked(() -> workload.trust(anchors));
    }
  }

  private static void schedule(
      ScheduledExecutorService scheduler,
      Duration at,
      AtomicReference<Throwable> failure,
      Runnable step) {
    var unused = scheduler.schedule(guarded(step, failure), at.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static Runnable guarded(Runnable task, AtomicReference<Throwable> failure) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    };
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void unchecked(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
