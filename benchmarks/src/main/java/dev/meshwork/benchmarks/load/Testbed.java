package dev.meshwork.benchmarks.load;

import dev.meshwork.benchmarks.RawClients;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Everything a one-JVM run calls: the PKI, nginx, the HAProxy sidecar, the raw clients and two
 * meshes (plain and mutual TLS) with the services of {@link ServerPorts}. {@link #call} gives the
 * call a scenario makes; {@link #cpuMeter} the processes its CPU is counted over.
 */
final class Testbed implements AutoCloseable {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final NginxBackend nginx;
  private final HaproxySidecar haproxy;
  private final ServerPorts ports;
  private final OkHttpClient rawPlain;
  private final OkHttpClient rawTls;
  private final OkHttpClient meshPlain;
  private final OkHttpClient meshTls;

  Testbed(Path dir, String nginxBinary, String haproxyBinary, int endpoints, int nginxWorkers)
      throws IOException, InterruptedException, GeneralSecurityException {
    try {
      HarnessPki pki = add(new HarnessPki(dir));
      nginx = add(NginxBackend.start(nginxBinary, dir, pki.files, endpoints, nginxWorkers));
      haproxy = add(HaproxySidecar.start(haproxyBinary, dir, pki.files, nginx));
      ports = ServerPorts.of(nginx, haproxy);
      rawPlain = RawClients.plain();
      rawTls = RawClients.mutualTls(pki.caller, HarnessPki.BACKEND_ID);
      meshPlain = MeshOkHttp.of(add(ports.plainMesh())).client();
      meshTls = MeshOkHttp.of(add(ports.tlsMesh(pki.meshSource))).client();
    } catch (IOException | InterruptedException | GeneralSecurityException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The call of {@code scenario} against the first endpoint, or spread over all of them. Raw OkHttp
   * offers h2 by ALPN everywhere (its default), and gets it where nginx offers it (S5).
   */
  LoadDriver.Call call(Scenario scenario, boolean allEndpoints) {
    OkHttpClient client =
        switch (scenario) {
          case S0, S3, S6 -> rawPlain;
          case S1 -> meshPlain;
          case S2, S5 -> rawTls;
          case S4, S7 -> meshTls;
        };
    return okhttp(client, ports.urls(scenario, allEndpoints), scenario.http2());
  }

  /** A CPU meter over this JVM, nginx and, for the sidecar scenario, HAProxy. */
  CpuMeter cpuMeter(Scenario scenario) {
    return scenario.viaSidecar()
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
   * anything but a 200 with the full body, over HTTP/2 if {@code http2} and HTTP/1.1 otherwise, is
   * a failure.
   */
  static LoadDriver.Call okhttp(OkHttpClient client, List<String> urls, boolean http2) {
    List<Request> requests =
        urls.stream().map(url -> new Request.Builder().url(url).build()).toList();
    Protocol expected = http2 ? Protocol.HTTP_2 : Protocol.HTTP_1_1;
    AtomicInteger next = new AtomicInteger();
    return () -> {
      Request request =
          requests.size() == 1
              ? requests.get(0)
              : requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
      try (Response response = client.newCall(request).execute()) {
        int length = response.body().bytes().length;
        if (response.code() != 200
            || length != NginxBackend.BODY_BYTES
            || response.protocol() != expected) {
          throw new IOException(
              request.url()
                  + " answered "
                  + response.code()
                  + " with "
                  + length
                  + " bytes over "
                  + response.protocol()
                  + "; expected 200 with "
                  + NginxBackend.BODY_BYTES
                  + " over "
                  + expected);
        }
      }
    };
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
