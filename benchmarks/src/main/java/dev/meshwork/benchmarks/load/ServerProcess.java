package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server (nginx, HAProxy) run in the foreground as a child of this JVM, so its PID is the one to
 * meter and to stop. It is stopped by {@link #close()} and, should the JVM exit first, by a
 * shutdown hook: a benchmark never leaves a server behind on the machine.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread hook;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.hook = new Thread(this::stop, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code command}, output to {@code log}, and returns once it accepts connections on every
   * one of {@code ports} on 127.0.0.1; stops it and fails with its log otherwise.
   */
  static ServerProcess start(String name, List<String> command, Path log, List<Integer> ports)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(name, process, log);
    try {
      for (int port : ports) {
        server.awaitPort(port);
      }
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The process ID, for {@link CpuMeter}. */
  long pid() {
    return process.pid();
  }

  /** Free ports on 127.0.0.1, as many as asked (the OS picks them; they are released at once). */
  static List<Integer> freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      }
      return java.util.Arrays.stream(sockets).map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  /** The first of {@code candidates} that is executable. */
  static Optional<String> findBinary(List<String> candidates) {
    return candidates.stream()
        .filter(candidate -> Files.isExecutable(Path.of(candidate)))
        .findFirst();
  }

  private void awaitPort(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + ": " + logText());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notListeningYet) {
        // Poll again shortly; waitFor returns at once if the server exits meanwhile.
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
    throw new IOException(
        name
            + " did not listen on 127.0.0.1:"
            + port
            + " within "
            + START_DEADLINE
            + ": "
            + logText());
  }

  private String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  private void stop() {
    ProcessHandle handle = process.toHandle();
    handle.destroy(); // SIGTERM: nginx and HAProxy exit at once
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; the process is stopped either way.
    }
  }
}
