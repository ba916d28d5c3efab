package dev.meshwork.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The harness's end of one scenario's own JVM ({@link ScenarioJvm}): starts it, sends it loads and
 * waits for their results, and stops it. Its standard error, and any standard output that is not a
 * result, go to a log file of its own, quoted when it fails.
 */
final class ChildJvm implements AutoCloseable {
  /** Time allowed on top of a run's own length: JVM start, building the client, a slow machine. */
  static final long SLACK_SECONDS = 60;

  private final String label;
  private final Process process;
  private final Path log;
  private final PrintStream commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Thread hook;

  private ChildJvm(String label, Process process, Path log) {
    this.label = label;
    this.process = process;
    this.log = log;
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.hook = new Thread(process::destroyForcibly, "stop-" + label);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts the JVM of {@code scenario}: {@code options}' prefix, {@code java}, its JVM options,
   * this JVM's class path, {@link ScenarioJvm} with {@code setup}. Output goes to {@code logDir}.
   */
  static ChildJvm start(
      Scenario scenario, Path setup, ChildOptions options, Path logDir, String label)
      throws IOException {
    List<String> command = new ArrayList<>(options.prefix(scenario, label));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions(scenario, label));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScenarioJvm.class.getName());
    command.add(setup.toString());
    command.add(scenario.name());
    Path log = logDir.resolve(label + ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ChildJvm child = new ChildJvm(label, process, log);
    Thread reader = new Thread(child::readAnswers, "answers-" + label);
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  /**
   * Runs {@code plan} in the JVM, against every endpoint or the first, counting calls per second
   * since the JVM started for {@code timelineSeconds}; returns its result.
   *
   * @throws IOException when the JVM fails, exits or does not answer in time (the message quotes
   *     its log)
   */
  LoadResult run(LoadDriver.Plan plan, boolean allEndpoints, int timelineSeconds)
      throws IOException, InterruptedException {
    commands.printf(
        java.util.Locale.ROOT,
        "run %b %d %s %s %s %d%n",
        allEndpoints,
        plan.concurrency(),
        Double.toString(plan.rate()),
        Double.toString(plan.warmupSeconds()),
        Double.toString(plan.durationSeconds()),
        timelineSeconds);
    long wait =
        (long) Math.ceil(plan.warmupSeconds() + plan.durationSeconds())
            + TimeUnit.NANOSECONDS.toSeconds(LoadDriver.GRACE_NANOS)
            + SLACK_SECONDS;
    String answer = answers.poll(wait, TimeUnit.SECONDS);
    if (answer == null) {
      throw failure("did not answer within " + wait + " s");
    }
    if (answer.startsWith(ScenarioJvm.FAILED)) {
      throw failure(
          "failed: "
              + new String(
                  Base64.getDecoder().decode(answer.substring(ScenarioJvm.FAILED.length()).trim()),
                  StandardCharsets.UTF_8));
    }
    if (answer.isEmpty()) {
      throw failure("exited with " + process.waitFor() + " before answering");
    }
    return ResultCodec.decode(answer.substring(ScenarioJvm.RESULT.length()));
  }

  /** Hands result lines to {@link #run}; an empty line when the JVM's output ends. */
  private void readAnswers() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(ScenarioJvm.RESULT) || line.startsWith(ScenarioJvm.FAILED)) {
          answers.add(line);
        } else {
          Files.writeString(
              log,
              line + "\n",
              StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }
      }
    } catch (IOException e) {
      // The JVM is gone; run() reports it from the empty answer below.
    } finally {
      answers.add("");
    }
  }

  private IOException failure(String what) {
    String text;
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      text = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      text = "(log unreadable: " + e + ")";
    }
    return new IOException(
        "the JVM of " + label + " " + what + "; the end of its log " + log + ":\n" + text);
  }

  /** Asks the JVM to quit, and stops it by its PID if it has not within 10 s. */
  @Override
  public void close() {
    commands.println("quit");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; the process is stopped either way.
    }
  }
}
