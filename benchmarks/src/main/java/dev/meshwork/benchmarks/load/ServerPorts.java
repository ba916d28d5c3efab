package dev.meshwork.benchmarks.load;

import dev.meshwork.core.Mesh;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.MeshTls;
import java.util.List;

/**
 * Where a run's servers listen, and so what each scenario calls: nginx's plain, TLS and h2 ports
 * (one per endpoint each) and HAProxy's four frontends (one endpoint or all of them, HTTP/1.1 or
 * HTTP/2 upstream). The mesh scenarios call services by name, defined here over the same ports.
 */
record ServerPorts(
    List<Integer> plain,
    List<Integer> tls,
    List<Integer> h2,
    int sidecarSingle,
    int sidecarAll,
    int sidecarH2Single,
    int sidecarH2All) {
  private static final String ONE = HarnessPki.BACKEND;
  private static final String ALL = HarnessPki.BACKEND + "-all";
  private static final String ONE_H2 = HarnessPki.BACKEND + "-h2";
  private static final String ALL_H2 = HarnessPki.BACKEND + "-h2-all";

  static ServerPorts of(NginxBackend nginx, HaproxySidecar haproxy) {
    return new ServerPorts(
        nginx.plainPorts,
        nginx.tlsPorts,
        nginx.h2Ports,
        haproxy.singlePort,
        haproxy.allPort,
        haproxy.h2SinglePort,
        haproxy.h2AllPort);
  }

  /** The URLs {@code scenario} calls, against the first endpoint or every one (taken in turn). */
  List<String> urls(Scenario scenario, boolean allEndpoints) {
    return switch (scenario) {
      case S0 -> urls("http", first(plain, allEndpoints));
      case S1 -> List.of("http://" + (allEndpoints ? ALL : ONE) + "/");
      case S2 -> urls("https", first(tls, allEndpoints));
      case S3 -> urls("http", List.of(allEndpoints ? sidecarAll : sidecarSingle));
      case S4 -> List.of("http://" + (allEndpoints ? ALL : ONE) + "/");
      case S5 -> urls("https", first(h2, allEndpoints));
      case S6 -> urls("http", List.of(allEndpoints ? sidecarH2All : sidecarH2Single));
      case S7 -> List.of("http://" + (allEndpoints ? ALL_H2 : ONE_H2) + "/");
    };
  }

  /** A mesh of the plain services S1 calls. */
  Mesh plainMesh() {
    return Mesh.builder()
        .service(ONE, s -> s.endpoints(addresses(plain.subList(0, 1))))
        .service(ALL, s -> s.endpoints(addresses(plain)))
        .build();
  }

  /**
   * A mesh with the identity of {@code source} and the mutual-TLS services S4 (HTTP/1.1 ports) and
   * S7 (h2 ports) call. nginx serves the SVID of "mathoid"; services of other names say whom they
   * expect.
   */
  Mesh tlsMesh(CertificateSource source) {
    String backend = HarnessPki.BACKEND_ID.toString();
    return Mesh.builder()
        .security(MeshTls.builder().source(source).build())
        .service(ONE, s -> s.endpoints(addresses(tls.subList(0, 1))))
        .service(ALL, s -> s.endpoints(addresses(tls)).peerIdentities(backend))
        .service(ONE_H2, s -> s.endpoints(addresses(h2.subList(0, 1))).peerIdentities(backend))
        .service(ALL_H2, s -> s.endpoints(addresses(h2)).peerIdentities(backend))
        .build();
  }

  private static List<Integer> first(List<Integer> ports, boolean all) {
    return all ? ports : ports.subList(0, 1);
  }

  private static List<String> urls(String scheme, List<Integer> ports) {
    return ports.stream().map(port -> scheme + "://127.0.0.1:" + port + "/").toList();
  }

  private static String[] addresses(List<Integer> ports) {
    return ports.stream().map(port -> "127.0.0.1:" + port).toArray(String[]::new);
  }
}
