package dev.meshwork.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's three backends, in a JVM of their own so that the soak measures the mesh's process
 * alone: on Java 17 the JDK {@code HttpServer} keeps every connection its client closed first
 * (cancelled or timed-out calls) reachable for good, which would show as the mesh's heap growing.
 * {@link #main} prints {@code ports=<a>,<b>,<c>} and serves until its standard input closes.
 */
public final class SoakBackends implements AutoCloseable {
  private final Process process;
  private final List<String> addresses = new ArrayList<>();

  /** Starts the backends' JVM and waits (at most a minute) for their ports. */
  SoakBackends(Duration deadline, Duration cancelAfter) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                SoakBackends.class.getName(),
                Long.toString(deadline.toMillis()),
                Long.toString(cancelAfter.toMillis()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // bounded by the child, which prints it or exits
    if (line == null || !line.startsWith("ports=")) {
      process.destroyForcibly();
      throw new IOException("the soak's backend JVM did not start: it printed " + line);
    }
    for (String port : line.substring("ports=".length()).split(",", -1)) {
      addresses.add("127.0.0.1:" + port);
    }
  }

  List<String> addresses() {
    return addresses;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // the child's signal to stop
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Serves the soak: {@code args} are the deadline and the cancel delay in milliseconds. */
  public static void main(String[] args) throws IOException {
    long deadline = Long.parseLong(args[0]);
    long cancelAfter = Long.parseLong(args[1]);
    List<Backend> backends = new ArrayList<>();
    StringBuilder ports = new StringBuilder("ports=");
    for (int i = 0; i < 3; i++) {
      String name = "soak-" + i;
      Backend backend =
          Backend.plain(
              name,
              (exchange, body) ->
                  switch (String.valueOf(exchange.getRequestHeaders().getFirst(Soak.KIND))) {
                    case "error" -> Backend.Answer.of(500, name + " failed");
                    // The caller is gone by the time these end (timed out, cancelled).
                    case "timeout" -> Backend.Answer.hangUp().delayed(deadline * 2);
                    case "cancel" -> Backend.Answer.hangUp().delayed(cancelAfter * 10);
                    default -> Backend.Answer.of(200, name);
                  });
      backends.add(backend);
      ports.append(i == 0 ? "" : ",").append(backend.port());
    }
    System.out.println(ports);
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the soak closes our standard input
    }
    backends.forEach(Backend::close);
  }
}
