package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server: Debian's dnsmasq on a free loopback port, answering only from the records it
 * is given (names under {@code mesh.test}; anything else there is NXDOMAIN), as mesh-discovery's
 * tests run it. A records come from a hosts file that {@link #hosts} rewrites and reloads with
 * SIGHUP. {@link #stop()} ends the process: the DNS outage of the discovery scenario. test.sh
 * installs dnsmasq; a machine without it fails the scenario rather than skipping it.
 */
final class Dnsmasq implements AutoCloseable {
  private final Path hostsFile;
  private final Path log;
  private final int port;
  private Process process;

  Dnsmasq(Path dir) throws IOException {
    this.hostsFile = dir.resolve("hosts");
    this.log = dir.resolve("dnsmasq.log");
    Files.writeString(hostsFile, "");
    this.port = freePort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /**
   * Starts the server with {@code options} (for example {@code --srv-host=...}) and waits until it
   * answers.
   */
  void start(String... options) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                executable(),
                "--no-daemon",
                "--port=" + port,
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--no-resolv",
                "--no-hosts",
                "--conf-file=/dev/null",
                "--pid-file=",
                "--user=" + System.getProperty("user.name"),
                "--local=/mesh.test/",
                "--addn-hosts=" + hostsFile,
                "--host-record=ready.mesh.test,127.0.0.1"));
    command.addAll(List.of(options));
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Await.until(
        MeshClock.system(),
        Duration.ofSeconds(20),
        this::answers,
        () -> "dnsmasq to answer on port " + port + "; log: " + logText());
  }

  /** Stops the server and starts it again with other options, on the same port. */
  void restart(String... options) throws IOException, InterruptedException {
    stop();
    start(options);
  }

  /**
   * Replaces the hosts file (lines like {@code 127.0.0.11 mathoid.mesh.test}) and makes dnsmasq
   * re-read it.
   */
  void hosts(String content) throws IOException, InterruptedException {
    Files.writeString(hostsFile, content);
    if (process != null && process.isAlive()) {
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
      if (hup.waitFor() != 0) {
        throw new IOException("kill -HUP " + process.pid() + " failed");
      }
    }
  }

  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }

  private boolean answers() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("dnsmasq exited: " + logText());
    }
    try {
      SimpleResolver resolver = new SimpleResolver(address());
      resolver.setTimeout(Duration.ofMillis(200));
      Message response =
          resolver.send(
              Message.newQuery(
                  Record.newRecord(Name.fromString("ready.mesh.test."), Type.A, DClass.IN)));
      return response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String executable() {
    for (String candidate :
        List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/usr/local/sbin/dnsmasq")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dnsmasq"))) {
        return Path.of(dir, "dnsmasq").toString();
      }
    }
    throw new IllegalStateException(
        "dnsmasq is not installed; the discovery scenario needs a real DNS server"
            + " (Debian: apt-get install dnsmasq, as test.sh does)");
  }

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket udp =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        int candidate = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
          return tcp.getLocalPort();
        } catch (IOException taken) {
          // The TCP side of this port is in use; try another.
        }
      }
    }
    throw new IOException("no free loopback port for both UDP and TCP");
  }
}
