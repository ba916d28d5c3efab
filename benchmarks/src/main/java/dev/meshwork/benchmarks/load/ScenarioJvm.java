package dev.meshwork.benchmarks.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The main class of a scenario's own JVM in the per-JVM mode: builds the one client of its scenario
 * ({@link ScenarioClient}) and runs the loads the harness sends on standard input, one command a
 * line, answering each on standard output with one line ({@link ChildJvm} is the other end):
 *
 * <pre>
 * run ALL_ENDPOINTS CONCURRENCY RATE WARMUP_SECONDS DURATION_SECONDS TIMELINE_SECONDS
 *   -&gt; result FIELDS (see {@link ResultCodec}) | failed BASE64_MESSAGE
 * quit
 * </pre>
 *
 * Every run counts completed calls per second since this JVM started for its first {@code
 * TIMELINE_SECONDS} seconds. Other output (the JVM's, JFR's) may appear on standard output; the
 * harness reads only lines starting with {@code result } or {@code failed }.
 */
public final class ScenarioJvm {
  static final String RESULT = "result ";
  static final String FAILED = "failed ";

  private ScenarioJvm() {}

  /** {@code args}: the setup file written by the harness, and the scenario (S0 .. S4). */
  public static void main(String[] args) throws Exception {
    // First: the origin of the per-second timeline, when this JVM started.
    long jvmStart =
        System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    if (args.length != 2) {
      System.err.println("usage: ScenarioJvm SETUP_FILE SCENARIO");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Scenario scenario = Scenario.valueOf(args[1]);
    try (ScenarioClient client =
            ScenarioClient.create(scenario, ScenarioSetup.read(Path.of(args[0])));
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split(" ");
        if (words[0].equals("quit")) {
          break;
        }
        try {
          out.println(RESULT + ResultCodec.encode(run(client, words, jvmStart)));
        } catch (RuntimeException e) {
          e.printStackTrace();
          out.println(FAILED + base64(e.toString()));
        }
      }
    } catch (Exception e) {
      e.printStackTrace();
      out.println(FAILED + base64(scenario + ": " + e));
      System.exit(1);
    }
    System.exit(0); // the mesh's and OkHttp's daemon threads need not linger
  }

  private static LoadResult run(ScenarioClient client, String[] words, long jvmStart) {
    if (words.length != 7 || !words[0].equals("run")) {
      throw new IllegalArgumentException(
          "command '"
              + String.join(" ", words)
              + "'; expected run ALL_ENDPOINTS CONCURRENCY RATE WARMUP DURATION TIMELINE, or quit");
    }
    LoadDriver.Plan plan =
        new LoadDriver.Plan(
            Integer.parseInt(words[2]),
            Double.parseDouble(words[3]),
            Double.parseDouble(words[4]),
            Double.parseDouble(words[5]));
    try {
      return LoadDriver.run(
          client.call(Boolean.parseBoolean(words[1])),
          plan,
          client.cpuMeter(),
          new LoadDriver.Timeline(jvmStart, Integer.parseInt(words[6])),
          client::backendAccepts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the run", e);
    }
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
