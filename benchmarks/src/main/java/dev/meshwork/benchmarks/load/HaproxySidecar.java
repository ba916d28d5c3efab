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
 * all of them ({@code leastconn}, HAProxy's nearest to the mesh's least-request default).
 */
final class HaproxySidecar implements AutoCloseable {
  static final List<String> BINARIES =
      List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy");

  /** Port of the frontend whose backend is the first nginx TLS endpoint. */
  final int singlePort;

  /** Port of the frontend that balances over every nginx TLS endpoint. */
  final int allPort;

  private final ServerProcess process;

  private HaproxySidecar(int singlePort, int allPort, ServerProcess process) {
    this.singlePort = singlePort;
    this.allPort = allPort;
    this.process = process;
  }

  /** Starts HAProxy from {@code binary} in front of {@code nginx}'s TLS ports. */
  static HaproxySidecar start(String binary, Path dir, PkiFiles pki, List<Integer> nginxTlsPorts)
      throws IOException, InterruptedException {
    List<Integer> ports = ServerProcess.freePorts(2);
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(pki, ports.get(0), ports.get(1), nginxTlsPorts));
    // -db: stay in the foreground, so the PID we started is the proxy (no master/worker fork).
    ServerProcess process =
        ServerProcess.start(
            "haproxy",
            List.of(binary, "-db", "-f", config.toString()),
            dir.resolve("haproxy.out"),
            ports);
    return new HaproxySidecar(ports.get(0), ports.get(1), process);
  }

  /** The PID to meter. */
  long pid() {
    return process.pid();
  }

  private static String config(
      PkiFiles pki, int singlePort, int allPort, List<Integer> nginxTlsPorts) {
    String server =
        " ssl verify required ca-file "
            + pki.trustBundle()
            + " crt "
            + pki.callerCertAndKey()
            + " ssl-min-ver TLSv1.3";
    List<String> all = new ArrayList<>();
    for (int i = 0; i < nginxTlsPorts.size(); i++) {
      all.add("  server nginx" + i + " 127.0.0.1:" + nginxTlsPorts.get(i) + server);
    }
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
        backend single
        %3$s
        backend all
          balance leastconn
        %4$s
        """
        .formatted(
            singlePort,
            allPort,
            "  server nginx0 127.0.0.1:" + nginxTlsPorts.get(0) + server,
            String.join("\n", all));
  }

  @Override
  public void close() {
    process.close();
  }
}
