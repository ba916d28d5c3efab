package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The backend: one nginx (Debian's) answering every request with the same {@value #BODY_BYTES} byte
 * body, on {@code endpoints} plain ports and {@code endpoints} TLS 1.3 ports that require a client
 * certificate from the run's CA. Many ports rather than many servers: the 8-endpoint scenarios need
 * 8 addresses to balance over, not 8 times the CPU.
 */
final class NginxBackend implements AutoCloseable {
  static final int BODY_BYTES = 1024;
  static final List<String> BINARIES =
      List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx");

  final List<Integer> plainPorts;
  final List<Integer> tlsPorts;

  /** TLS ports that also offer HTTP/2 (ALPN h2), as many as the others. */
  final List<Integer> h2Ports;

  /**
   * A port of its own answering {@code /status} with nginx's stub status (connections accepted).
   */
  final int statusPort;

  private final ServerProcess process;

  private NginxBackend(
      List<Integer> plainPorts,
      List<Integer> tlsPorts,
      List<Integer> h2Ports,
      int statusPort,
      ServerProcess process) {
    this.plainPorts = plainPorts;
    this.tlsPorts = tlsPorts;
    this.h2Ports = h2Ports;
    this.statusPort = statusPort;
    this.process = process;
  }

  /**
   * Starts nginx from {@code binary} with its files in {@code dir} and {@code workers} worker
   * processes.
   */
  static NginxBackend start(String binary, Path dir, PkiFiles pki, int endpoints, int workers)
      throws IOException, InterruptedException {
    List<Integer> ports = ServerProcess.freePorts(3 * endpoints + 1);
    List<Integer> plain = ports.subList(0, endpoints);
    List<Integer> tls = ports.subList(endpoints, 2 * endpoints);
    List<Integer> h2 = ports.subList(2 * endpoints, 3 * endpoints);
    int status = ports.get(3 * endpoints);
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(dir.resolve(temp));
    }
    Path config = dir.resolve("nginx.conf");
    Files.writeString(config, config(dir, pki, plain, tls, h2, status, workers));
    ServerProcess process =
        ServerProcess.start(
            "nginx",
            List.of(
                binary,
                "-p",
                dir.toString(),
                "-c",
                config.toString(),
                "-e",
                dir.resolve("error.log").toString(),
                "-g",
                "daemon off;"),
            dir.resolve("nginx.out"),
            ports);
    return new NginxBackend(List.copyOf(plain), List.copyOf(tls), List.copyOf(h2), status, process);
  }

  /** The PID to meter (the master; {@link CpuMeter} adds its workers). */
  long pid() {
    return process.pid();
  }

  /** The fixed body: printable ASCII, so it can sit in nginx's {@code return} directive. */
  static String body() {
    StringBuilder body = new StringBuilder(BODY_BYTES);
    for (int i = 0; i < BODY_BYTES; i++) {
      body.append((char) ('a' + i % 26));
    }
    return body.toString();
  }

  private static String config(
      Path dir,
      PkiFiles pki,
      List<Integer> plain,
      List<Integer> tls,
      List<Integer> h2,
      int status,
      int workers) {
    // keepalive_requests is raised from nginx's 1000 so that no scenario's pooled connections
    // are closed (and, with TLS, re-handshaken) every thousand calls: the runs measure steady
    // state. Access logging is off: disk writes would be the same for all, and only add noise.
    return """
        worker_processes %1$d;
        pid %2$s/nginx.pid;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %2$s/client_body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
          default_type text/plain;
          keepalive_requests 10000000;
          keepalive_timeout 75s;
          server {
        %3$s
            location / { return 200 "%4$s"; }
          }
          server {
        %5$s
            ssl_protocols TLSv1.3;
            ssl_certificate %6$s;
            ssl_certificate_key %7$s;
            ssl_verify_client on;
            ssl_client_certificate %8$s;
            location / { return 200 "%4$s"; }
          }
          server {
            listen 127.0.0.1:%9$d;
            location = /status { stub_status; }
          }
        }
        """
        .formatted(
            workers,
            dir,
            listen(plain, ""),
            body(),
            listen(tls, " ssl") + "\n" + listen(h2, " ssl http2"),
            pki.serverChain(),
            pki.serverKey(),
            pki.trustBundle(),
            status);
  }

  private static String listen(List<Integer> ports, String suffix) {
    List<String> lines = new ArrayList<>();
    for (int port : ports) {
      lines.add("    listen 127.0.0.1:" + port + suffix + ";");
    }
    return lines.stream().collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    process.close();
  }
}
