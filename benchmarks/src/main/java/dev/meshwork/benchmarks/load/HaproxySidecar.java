package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar: one HAProxy (Debian's) taking plain HTTP/1.1 from the local client and originating
 * mutual TLS 1.3 to nginx, with the caller's certificate, verifying nginx's chain against the run's
 * CA, and reusing its server connections ({@code http-reuse always}) the way a sidecar proxy keeps
 * a pool per upstream. Two frontends: one in front of a single nginx endpoint, one balancing over
 * all of them ({@code leastconn}, HAProxy's nearest to the mesh's least-request default); and the
 * same two again speaking HTTP/2 upstream, as sidecars do.
 */
final class HaproxySidecar implements AutoCloseable {
  static final List<String> BINARIES =
      List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy");

  /** Port of the frontend whose backend is the first nginx TLS endpoint. */
  final int singlePort;

  /** Port of the frontend that balances over every nginx TLS endpoint. */
  final int allPort;

  /** Ports of the same two frontends with HTTP/2 upstream (ALPN h2 to nginx's h2 ports). */
  final int h2SinglePort;

  final int h2AllPort;

  private final ServerProcess process;

  private HaproxySidecar(List<Integer> ports, ServerProcess process) {
    this.singlePort = ports.get(0);
    this.allPort = ports.get(1);
    this.h2SinglePort = ports.get(2);
    this.h2AllPort = ports.get(3);
    this.process = process;
  }

  /** Starts HAProxy from {@code binary} in front of {@code nginx}'s TLS and h2 ports. */
  static HaproxySidecar start(String binary, Path dir, PkiFiles pki, NginxBackend nginx)
      throws IOException, InterruptedException {
    List<Integer> ports = ServerProcess.freePorts(4);
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(pki, ports, nginx.tlsPorts, nginx.h2Ports));
    // -db: stay in the foreground, so the PID we started is the proxy (no master/worker fork).
    ServerProcess process =
        ServerProcess.start(
            "haproxy",
            List.of(binary, "-db", "-f", config.toString()),
            dir.resolve("haproxy.out"),
            ports);
    return new HaproxySidecar(ports, process);
  }

  /** The PID to meter. */
  long pid() {
    return process.pid();
  }

  private static String config(
      PkiFiles pki, List<Integer> ports, List<Integer> nginxTlsPorts, List<Integer> nginxH2Ports) {
    String server =
        " ssl verify required ca-file "
            + pki.trustBundle()
            + " crt "
            + pki.callerCertAndKey()
            + " ssl-min-ver TLSv1.3";
    // nbthread is left to HAProxy: one thread per available CPU, its default. Timeouts are long
    // enough never to cut a benchmark call; they only bound a stuck one.
    return """
        global
          maxconn 8192
        defaults
          mode http
          option http-keep-alive
          http-reuse always
          timeout connect 5s
          timeout client 30s
          timeout server 30s
          timeout http-keep-alive 30s
        frontend single
          bind 127.0.0.1:%1$d
          default_backend single
        frontend all
          bind 127.0.0.1:%2$d
          default_backend all
        frontend h2single
          bind 127.0.0.1:%3$d
          default_backend h2single
        frontend h2all
          bind 127.0.0.1:%4$d
          default_backend h2all
        backend single
        %5$s
        backend all
          balance leastconn
        %6$s
        backend h2single
        %7$s
        backend h2all
          balance leastconn
        %8$s
        """
        .formatted(
            ports.get(0),
            ports.get(1),
            ports.get(2),
            ports.get(3),
            servers(nginxTlsPorts.subList(0, 1), server),
            servers(nginxTlsPorts, server),
            servers(nginxH2Ports.subList(0, 1), server + " alpn h2"),
            servers(nginxH2Ports, server + " alpn h2"));
  }

  private static String servers(List<Integer> ports, String options) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      lines.add("  server nginx" + i + " 127.0.0.1:" + ports.get(i) + options);
    }
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    process.close();
  }
}
