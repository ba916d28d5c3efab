package dev.meshwork.reliability;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.discovery.DnsDiscovery;
import dev.meshwork.discovery.FileDiscovery;
import dev.meshwork.discovery.kubernetes.KubernetesDiscovery;
import dev.meshwork.okhttp.MeshOkHttp;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

/**
 * Scenario 4, discovery outage: three services of one mesh take their endpoints from DNS (dnsmasq),
 * an endpoints file and the Kubernetes API (the fabric8 mock server; no real API server runs here),
 * all with their defaults, while paced calls go to each. The three sources go away together for the
 * outage (the DNS server stopped, the file deleted and then replaced by a directory so it cannot be
 * read, the API server stopped), then come back, each now listing a third endpoint.
 *
 * <p>Reports per source: failed calls (all endpoints stay up and unchanged, so 0), whether the
 * endpoints in use stayed the same through the outage, whether the outage was reported, and the
 * recovery time from the source's return to the mesh using the new endpoint (at most 5 s). Full
 * form: 30-minute outage; reduced: 10 s (the reduced form says 1 minute; 10 s shows the
 * same behaviour within CI's budget, see docs/RELIABILITY.md).
 */
public final class DiscoveryOutage {
  static final String NAMESPACE = "reliability";
  private static final String DNS_NAME = "svc.mesh.test";
  private static final List<String> SOURCES = List.of("dns", "file", "kubernetes");

  private DiscoveryOutage() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Harness.finish(run(options, MeshClock.system()), options);
  }

  public static Report run(Options options, MeshClock clock) throws Exception {
    double rate = options.number("rate", 300, 150);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(10), Duration.ofSeconds(3));
    Duration outage = options.duration("outage", Duration.ofMinutes(30), Duration.ofSeconds(10));
    Duration after = options.duration("after", Duration.ofSeconds(15), Duration.ofSeconds(5));
    Duration recoveryTarget =
        options.duration("recovery", Duration.ofSeconds(5), Duration.ofSeconds(5));
    Duration drain = options.duration("drain", Duration.ofSeconds(30), Duration.ofSeconds(30));
    Report report = new Report("discovery-outage", options, clock.now());

    Path dir = Files.createTempDirectory("discovery-outage");
    List<Backend> backends = new ArrayList<>();
    ScheduledExecutorService scheduler = Harness.scheduler("discovery-outage", 2);
    ExecutorService script =
        Executors.newFixedThreadPool(
            4, dev.meshwork.core.spi.MeshThreads.named("discovery-outage-script"));
    try (Dnsmasq dns = new Dnsmasq(dir);
        MockApiServer api = new MockApiServer();
        KubernetesClient admin = api.client()) {
      int port = 0;
      for (int i = 11; i <= 13; i++) {
        String name = "backend-127.0.0." + i;
        Backend backend =
            new Backend(
                name,
                InetAddress.getByName("127.0.0." + i),
                port,
                Optional.empty(),
                (exchange, body) -> Backend.Answer.of(200, name));
        port = backend.port();
        backends.add(backend);
      }
      int p = port;
      dns.hosts(hosts(2));
      dns.start();
      Path file = dir.resolve("endpoints.yaml");
      writeFile(file, endpointsFile(2, p));
      admin.resource(slice(2, p)).inNamespace(NAMESPACE).create();
      Path kubeconfig = api.kubeconfig(dir, NAMESPACE);

      try (Mesh mesh =
          Mesh.builder()
              .clock(clock)
              .awaitDiscovery(Duration.ofSeconds(60))
              .service(
                  "dns",
                  s ->
                      s.discovery(
                          DnsDiscovery.addresses(DNS_NAME, p).resolver(dns.address()).build()))
              .service("file", s -> s.discovery(FileDiscovery.builder(file).build()))
              .service(
                  "kubernetes",
                  s ->
                      s.discovery(
                          KubernetesDiscovery.builder()
                              .kubeconfig(kubeconfig)
                              .namespace(NAMESPACE)
                              .serviceName("mathoid")
                              .portName("http")
                              .build()))
              .build()) {
        OkHttpClient client = MeshOkHttp.of(mesh).client();
        CallLedger ledger = new CallLedger(clock);
        Map<String, Tally> tallies = new LinkedHashMap<>();
        SOURCES.forEach(source -> tallies.put(source, new Tally()));
        Set<String> twoEndpoints = addresses(2, p);
        Map<String, Boolean> kept = new ConcurrentHashMap<>();
        Map<String, Boolean> reported = new ConcurrentHashMap<>();
        AtomicBoolean down = new AtomicBoolean();

        // The outage, on the script's threads: everything goes away, then comes back changed.
        var sampler =
            scheduler.scheduleAtFixedRate(
                () -> {
                  if (down.get()) {
                    for (String source : SOURCES) {
                      kept.merge(
                          source,
                          endpoints(mesh, source).equals(twoEndpoints),
                          Boolean::logicalAnd);
                      DiscoveryHealth health = mesh.discoveryHealth(source);
                      if (health.status() != DiscoveryHealth.Status.HEALTHY) {
                        reported.put(source, true);
                      }
                    }
                  }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        Set<String> threeEndpoints = addresses(3, p);
        List<CompletableFuture<Duration>> each = new ArrayList<>();
        CompletableFuture<Void> restored = new CompletableFuture<>();
        var unused =
            scheduler.schedule(
                () -> {
                  down.set(true);
                  unchecked(dns::stop);
                  unchecked(() -> Files.delete(file));
                  api.stop();
                },
                warmup.toNanos(),
                TimeUnit.NANOSECONDS);
        unused =
            scheduler.schedule(
                () ->
                    unchecked(() -> Files.createDirectory(file)), // there, but unreadable as a file
                warmup.plus(outage.dividedBy(2)).toNanos(),
                TimeUnit.NANOSECONDS);
        unused =
            scheduler.schedule(
                () -> {
                  down.set(false);
                  each.add(
                      measure(
                          script,
                          () -> {
                            dns.hosts(hosts(3));
                            dns.start();
                          },
                          () -> recovery(clock, mesh, "dns", threeEndpoints)));
                  each.add(
                      measure(
                          script,
                          () -> {
                            Files.delete(file);
                            writeFile(file, endpointsFile(3, p));
                          },
                          () -> recovery(clock, mesh, "file", threeEndpoints)));
                  each.add(
                      measure(
                          script,
                          () -> {
                            api.start();
                            admin.resource(slice(3, p)).inNamespace(NAMESPACE).update();
                          },
                          () -> recovery(clock, mesh, "kubernetes", threeEndpoints)));
                  restored.complete(null);
                },
                warmup.plus(outage).toNanos(),
                TimeUnit.NANOSECONDS);
        long offered =
            Pacer.run(
                scheduler,
                clock,
                rate,
                warmup.plus(outage).plus(after),
                n -> {
                  String source = SOURCES.get((int) (n % SOURCES.size()));
                  Load.offer(client, ledger, tallies.get(source), source, n, false);
                });
        restored.get(1, TimeUnit.MINUTES);
        Map<String, Duration> recovered = new LinkedHashMap<>();
        for (int i = 0; i < SOURCES.size(); i++) {
          recovered.put(SOURCES.get(i), each.get(i).get(2, TimeUnit.MINUTES));
        }
        sampler.cancel(false);
        int lost = ledger.awaitAllEnded(drain);

        report.figure("calls offered", offered);
        report.figure("offered rate (calls/s, over the 3 services)", rate);
        report.check("calls lost (never answered, never failed)", lost, "0", lost == 0);
        for (String source : SOURCES) {
          Tally tally = tallies.get(source);
          long failed = tally.get("failed") + tally.get("not 200");
          report.figure(source + ": calls", tally.get("GET"));
          report.check(source + ": failed calls (endpoints unchanged)", failed, "0", failed == 0);
          report.check(
              source + ": endpoints kept through the outage",
              kept.getOrDefault(source, false),
              "true",
              kept.getOrDefault(source, false));
          report.check(
              source + ": outage reported in discoveryHealth",
              reported.getOrDefault(source, false),
              "true",
              reported.getOrDefault(source, false));
          Duration recovery = recovered.get(source);
          report.check(
              source + ": recovery after the source returned",
              recovery.toMillis() + " ms",
              "<= " + recoveryTarget.toMillis() + " ms",
              recovery.compareTo(recoveryTarget) <= 0);
          Harness.failureKinds(report, source + ": failures", tally);
        }
      }
    } finally {
      scheduler.shutdownNow();
      script.shutdownNow();
      backends.forEach(Backend::close);
    }
    return report;
  }

  private interface Step {
    void run() throws Exception;
  }

  private interface Measure {
    Duration run() throws Exception;
  }

  /** Runs {@code restore}, then {@code recovery}, on {@code executor}. */
  private static CompletableFuture<Duration> measure(
      ExecutorService executor, Step restore, Measure recovery) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            restore.run();
            return recovery.run();
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  private static void unchecked(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** How long until {@code service} uses {@code expected}; at most a minute. */
  private static Duration recovery(MeshClock clock, Mesh mesh, String service, Set<String> expected)
      throws InterruptedException {
    return Await.until(
        clock,
        Duration.ofMinutes(1),
        () -> endpoints(mesh, service).equals(expected),
        () -> service + " to use " + expected + "; health " + mesh.discoveryHealth(service));
  }

  private static Set<String> endpoints(Mesh mesh, String service) {
    Set<String> addresses = new TreeSet<>();
    for (Endpoint endpoint : mesh.endpoints(service)) {
      addresses.add(endpoint.address());
    }
    return addresses;
  }

  private static Set<String> addresses(int count, int port) {
    Set<String> addresses = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      addresses.add("127.0.0." + (11 + i) + ":" + port);
    }
    return addresses;
  }

  private static String hosts(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("127.0.0.").append(11 + i).append(' ').append(DNS_NAME).append('\n');
    }
    return text.toString();
  }

  private static String endpointsFile(int count, int port) {
    StringBuilder text = new StringBuilder("services:\n  file:\n");
    for (int i = 0; i < count; i++) {
      text.append("    - address: \"127.0.0.")
          .append(11 + i)
          .append(':')
          .append(port)
          .append("\"\n");
    }
    return text.toString();
  }

  /** Replaces {@code file} in one step, as a deployment tool does. */
  private static void writeFile(Path file, String content) {
    try {
      Path staged = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(staged, content);
      Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EndpointSlice slice(int count, int port) {
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("mathoid-abc")
            .withNamespace(NAMESPACE)
            .addToLabels("kubernetes.io/service-name", "mathoid")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withPort(port)
            .withProtocol("TCP")
            .endPort();
    for (int i = 0; i < count; i++) {
      slice
          .addNewEndpoint()
          .withAddresses("127.0.0." + (11 + i))
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .endEndpoint();
    }
    return slice.build();
  }
}
