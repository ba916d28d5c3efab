package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a per-JVM run is planned to take, which README and the harness both state. */
class PerJvmRunTest {

  @Test
  void theDefaultRunIsPlannedAtAboutTwentyFiveMinutes() {
    PerJvmRun.Settings defaults =
        new PerJvmRun.Settings(
            new HarnessRun.Settings(
                10,
                1,
                5,
                16,
                0,
                0.25,
                64,
                new LinkedHashSet<>(List.of(Phase.STARTUP, Phase.COLD, Phase.CLOSED, Phase.FIXED)),
                EnumSet.copyOf(Scenario.DEFAULTS),
                List.of()),
            5,
            60,
            new ChildOptions(ChildOptions.DEFAULT_JVM_OPTIONS, List.of()));

    // Startup: 5 x (2 + 60) = 310 s; cold: 10 x 5 x (2 + 5 + 5) = 600 s; closed and fixed: 10 x 5 x
    // (1 + 5) = 300 s each.
    assertEquals(1_510, defaults.estimatedSeconds(), 1e-9);
  }

  @Test
  void eachJvmsOptionsAndPrefixNameItsScenarioAndLabel() {
    ChildOptions options =
        new ChildOptions(
            List.of("-Xmx512m", "-XX:StartFlightRecording=filename=/tmp/{label}.jfr"),
            List.of("strace", "-f", "-c", "-o", "/tmp/{scenario}.strace"));

    assertEquals(
        List.of("-Xmx512m", "-XX:StartFlightRecording=filename=/tmp/cold-3-S4.jfr"),
        options.jvmOptions(Scenario.S4, "cold-3-S4"));
    assertEquals(
        List.of("strace", "-f", "-c", "-o", "/tmp/S4.strace"),
        options.prefix(Scenario.S4, "cold-3-S4"));
  }
}
