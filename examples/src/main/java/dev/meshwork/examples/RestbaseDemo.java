package dev.meshwork.examples;

import dev.meshwork.admin.AdminOptions;
import dev.meshwork.admin.MeshAdmin;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import retrofit2.Response;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * The first Meshwork demo: {@code restbase} renders formulas by calling {@code mathoid} through the
 * mesh. Three mathoid instances run locally; the mesh knows them from a static list, spreads the
 * calls over them, and speaks mutual TLS 1.3 with each, with certificates from an embedded CA and
 * the peer's SPIFFE ID checked on every connection. A second scene breaks one instance: the mesh
 * ejects it, calls keep succeeding, and it returns once healed (see {@link BrokenInstanceScene}). A
 * third runs a canary: a v2 instance takes 10% of the calls, then all of them, by swapping the live
 * route table (see {@link CanaryScene}). A fourth moves the canary from 10% to 50% and back by
 * editing a watched config file, printing what changes before each edit (see {@link
 * ConfigFileScene}). Run it with {@code mvn -q -pl examples -am compile exec:java}.
 */
public final class RestbaseDemo {
  static final int CALLS = 12;

  private RestbaseDemo() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * What the demo saw.
   *
   * @param servedBy how many calls of the first scene each instance served
   * @param brokenInstance what the broken-instance scene saw
   * @param canary what the canary scene saw
   * @param configFile what the config-file scene saw
   */
  record Outcome(
      Map<String, Integer> servedBy,
      BrokenInstanceScene.Result brokenInstance,
      CanaryScene.Result canary,
      ConfigFileScene.Result configFile) {}

  /**
   * How restbase calls mathoid: round robin, which makes the spread easy to read (the default is
   * least request, P2C), and outlier detection with short timings so the broken-instance scene
   * takes seconds (the defaults are 5 failures, a 10 s interval and a 30 s ejection).
   */
  static ServiceConfig.Builder mathoidPolicies(ServiceConfig.Builder service) {
    return service
        .loadBalancer(LoadBalancers.roundRobin())
        .outlierDetection(
            OutlierDetection.builder()
                .consecutive5xx(3)
                .consecutiveGatewayFailures(3)
                .interval(Duration.ofSeconds(1))
                .baseEjectionTime(Duration.ofSeconds(2))
                .build());
  }

  /** Runs the demo, printing to {@code out}. */
  static Outcome run(PrintStream out) throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    SpiffeId restbase = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
    SpiffeId mathoidId = SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
    List<MathoidInstance> instances = new ArrayList<>();
    try (BuiltInCaSource restbaseCertificates =
        BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build()) {
      for (int i = 1; i <= 3; i++) {
        instances.add(new MathoidInstance("mathoid-" + i, ca, mathoidId, restbase));
      }
      // The next version runs beside them, dark until the canary scene routes calls to it.
      MathoidInstance next = new MathoidInstance("mathoid-v2", ca, mathoidId, restbase);
      instances.add(next);
      Map<String, String> versionOfInstance = new TreeMap<>();
      List<Endpoint> endpoints = new ArrayList<>();
      for (MathoidInstance instance : instances) {
        String version = instance == next ? "v2" : "v1";
        versionOfInstance.put(instance.name(), version);
        endpoints.add(
            Endpoint.parse(instance.address()).toBuilder().label("version", version).build());
      }
      String[] addresses = instances.stream().map(MathoidInstance::address).toArray(String[]::new);
      out.println(
          "Embedded CA: "
              + ca.rootCertificate().getSubjectX500Principal().getName()
              + ", restbase is "
              + restbase);
      out.println(
          "Started "
              + instances.size()
              + " mathoid instances (mutual TLS): "
              + String.join(", ", addresses)
              + "; "
              + next.name()
              + " is version v2, dark until scene 3");

      var metrics = GoldenMetrics.registry();
      try (Mesh mesh =
          Mesh.builder()
              .decisions(256) // for the admin endpoint's /decisions
              .randomSeed(2026) // the canary's split draws the same way every run
              .security(MeshTls.builder().source(restbaseCertificates).build())
              .telemetry(Telemetry.builder().meterRegistry(metrics).build())
              .service(
                  "mathoid",
                  service ->
                      mathoidPolicies(
                          service
                              .endpoints(endpoints.toArray(Endpoint[]::new))
                              .routes(CanaryScene.stableOnly())))
              .build()) {
        // The admin endpoint on loopback; port 0 takes any free port, so the demo never collides.
        // It closes with the mesh.
        MeshAdmin admin = MeshAdmin.start(mesh, AdminOptions.builder().port(0).build());
        out.println(
            "Admin dashboard: "
                + admin.uri()
                + " (JSON: clusters, config, certs, routes, decisions, ready)");
        MathoidApi mathoid =
            MeshOkHttp.of(mesh)
                .create(
                    MathoidApi.class,
                    retrofit -> retrofit.addConverterFactory(JacksonConverterFactory.create()));

        Map<String, Integer> servedBy = new TreeMap<>();
        for (int call = 1; call <= CALLS; call++) {
          Response<MathoidApi.Rendered> response =
              mathoid.render(new MathoidApi.Formula("E = mc^" + call)).execute();
          if (!response.isSuccessful() || response.body() == null) {
            throw new IOException("mathoid answered " + response.code() + " to call " + call);
          }
          String instance = response.body().instance();
          servedBy.merge(instance, 1, Integer::sum);
          okhttp3.Handshake handshake = response.raw().handshake();
          String peer =
              handshake == null
                  ? "plaintext!"
                  : handshake.tlsVersion().javaName()
                      + " peer "
                      + SpiffeVerifier.identityOf(
                          (X509Certificate) handshake.peerCertificates().get(0));
          out.printf(
              "restbase -> http://mathoid/render/svg  call %2d served by %s at %s (%s)%n",
              call,
              instance,
              response.raw().request().url().host() + ":" + response.raw().request().url().port(),
              peer);
        }

        out.println();
        out.println("Distribution over " + CALLS + " calls (round robin):");
        servedBy.forEach(
            (instance, count) ->
                out.printf("  %-10s %3d  %s%n", instance, count, "#".repeat(count)));
        BrokenInstanceScene.Result broken =
            BrokenInstanceScene.run(out, mesh, mathoid, instances.get(1));
        CanaryScene.Result canary = CanaryScene.run(out, mesh, mathoid, versionOfInstance);
        ConfigFileScene.Result configFile =
            ConfigFileScene.run(
                out,
                mesh,
                mathoid,
                versionOfInstance,
                instances.stream()
                    .collect(Collectors.toMap(MathoidInstance::name, MathoidInstance::address)));
        GoldenMetrics.print(
            out,
            metrics,
            instances.stream()
                .collect(Collectors.toMap(MathoidInstance::address, MathoidInstance::name)));
        return new Outcome(servedBy, broken, canary, configFile);
      }
    } finally {
      instances.forEach(MathoidInstance::close);
    }
  }
}
