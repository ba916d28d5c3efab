package dev.meshwork.benchmarks.load;

import dev.meshwork.benchmarks.RawClients;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.MeshTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Everything a run calls: the PKI, nginx, the HAProxy sidecar, the raw clients and two meshes
 * (plain and mutual TLS), each with a one-endpoint and an all-endpoint service. {@link #call} gives
 * the call a scenario makes; {@link #cpuMeter} the processes its CPU is counted over.
 */
final class Testbed implements AutoCloseable {
  private static final String ONE = HarnessPki.BACKEND;
  private static final String ALL = HarnessPki.BACKEND + "-all";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final NginxBackend nginx;
  private final HaproxySidecar haproxy;
  private final OkHttpClient rawPlain;
  private final OkHttpClient rawTls;
  private final OkHttpClient meshPlain;
  private final OkHttpClient meshTls;

  Testbed(Path dir, String nginxBinary, String haproxyBinary, int endpoints, int nginxWorkers)
      throws IOException, InterruptedException, GeneralSecurityException {
    try {
      HarnessPki pki = add(new HarnessPki(dir));
      nginx = add(NginxBackend.start(nginxBinary, dir, pki.files, endpoints, nginxWorkers));
      haproxy = add(HaproxySidecar.start(haproxyBinary, dir, pki.files, nginx.tlsPorts));
      rawPlain = RawClients.plain();
      rawTls = RawClients.mutualTls(pki.caller, HarnessPki.BACKEND_ID);
      Mesh plain =
          add(
              Mesh.builder()
                  .service(ONE, s -> s.endpoints(addresses(nginx.plainPorts.subList(0, 1))))
                  .service(ALL, s -> s.endpoints(addresses(nginx.plainPorts)))
                  .build());
      // nginx serves the SVID of "mathoid"; the all-endpoint service has another name, so it
      // says whom it expects.
      Mesh tls =
          add(
              Mesh.builder()
                  .security(MeshTls.builder().source(pki.meshSource).build())
                  .service(ONE, s -> s.endpoints(addresses(nginx.tlsPorts.subList(0, 1))))
                  .service(
                      ALL,
                      s ->
                          s.endpoints(addresses(nginx.tlsPorts))
                              .peerIdentities(HarnessPki.BACKEND_ID.toString()))
                  .build());
      meshPlain = MeshOkHttp.of(plain).client();
      meshTls = MeshOkHttp.of(tls).client();
    } catch (IOException | InterruptedException | GeneralSecurityException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The call of {@code scenario} against the first endpoint, or spread over all of them. */
  LoadDriver.Call call(Scenario scenario, boolean allEndpoints) {
    String service = allEndpoints ? ALL : ONE;
    List<Integer> plain = allEndpoints ? nginx.plainPorts : nginx.plainPorts.subList(0, 1);
    List<Integer> tls = allEndpoints ? nginx.tlsPorts : nginx.tlsPorts.subList(0, 1);
    int sidecar = allEndpoints ? haproxy.allPort : haproxy.singlePort;
    return switch (scenario) {
      case S0 -> okhttp(rawPlain, urls("http", plain));
      case S1 -> okhttp(meshPlain, List.of("http://" + service + "/"));
      case S2 -> okhttp(rawTls, urls("https", tls));
      case S3 -> okhttp(rawPlain, urls("http", List.of(sidecar)));
      case S4 -> okhttp(meshTls, List.of("http://" + service + "/"));
    };
  }

  /** A CPU meter over this JVM, nginx and, for the sidecar scenario, HAProxy. */
  CpuMeter cpuMeter(Scenario scenario) {
    return scenario == Scenario.S3
        ? new CpuMeter(Map.of("backend", nginx.pid(), "proxy", haproxy.pid()))
        : new CpuMeter(Map.of("backend", nginx.pid()));
  }

  /** Connections nginx has accepted so far. */
  long backendAccepts() {
    return NginxStatus.accepts(nginx.statusPort);
  }

  /** Closes the idle pooled connections of every client, so each run starts alike. */
  void evictIdleConnections() {
    for (OkHttpClient client : List.of(rawPlain, rawTls, meshPlain, meshTls)) {
      client.connectionPool().evictAll();
    }
  }

  /**
   * A call to {@code urls}, taken in turn when there are several (raw OkHttp has no balancer; round
   * robin is what a client without one would do). The body is read whole and the response closed;
   * anything but a 200 with the full body is a failure.
   */
  static LoadDriver.Call okhttp(OkHttpClient client, List<String> urls) {
    List<Request> requests =
        urls.stream().map(url -> new Request.Builder().url(url).build()).toList();
    AtomicInteger next = new AtomicInteger();
    return () -> {
      Request request =
          requests.size() == 1
              ? requests.get(0)
              : requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
      try (Response response = client.newCall(request).execute()) {
        int length = response.body().bytes().length;
        if (response.code() != 200 || length != NginxBackend.BODY_BYTES) {
          throw new IOException(
              request.url()
                  + " answered "
                  + response.code()
                  + " with "
                  + length
                  + " bytes; expected 200 with "
                  + NginxBackend.BODY_BYTES);
        }
      }
    };
  }

  static List<String> urls(String scheme, List<Integer> ports) {
    return ports.stream().map(port -> scheme + "://127.0.0.1:" + port + "/").toList();
  }

  static String[] addresses(List<Integer> ports) {
    return ports.stream().map(port -> "127.0.0.1:" + port).toArray(String[]::new);
  }

  private <T extends AutoCloseable> T add(T resource) {
    resources.add(0, resource);
    return resource;
  }

  @Override
  public void close() {
    for (OkHttpClient client : java.util.Arrays.asList(rawPlain, rawTls)) {
      if (client != null) {
        client.connectionPool().evictAll();
      }
    }
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println(
            "load harness: closing " + resource.getClass().getSimpleName() + " failed: " + e);
      }
    }
  }
}
