package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A discovery source that keeps failing (a DNS outage retried every second) must not write a
 * warning per attempt: the first failure warns, then one warning a minute counts the rest, and the
 * first answer after the streak says that discovery recovered.
 */
class DiscoveryFailureLogTest {
  private static final String LOGGER = "dev.meshwork.core.internal.ServiceDiscovery";

  @Test
  void aFailureStreakWarnsOnceAMinuteAndItsEndIsLogged() {
    ManualClock clock = new ManualClock();
    PushedDiscovery discovery = new PushedDiscovery();
    try (CapturedLogs logs = CapturedLogs.of(LOGGER);
        Mesh mesh =
            Mesh.builder().clock(clock).service("mathoid", s -> s.discovery(discovery)).build()) {
      discovery.push(Endpoint.of("10.0.0.1", 80));

      for (int second = 0; second < 120; second++) {
        discovery.fail("SERVFAIL for mathoid");
        clock.advance(Duration.ofSeconds(1));
      }

      List<String> warnings = logs.containing("WARN");
      assertEquals(2, warnings.size(), "the first failure and one a minute later: " + warnings);
      assertTrue(warnings.get(0).contains("keeping the last 1 endpoints"), warnings.get(0));
      assertTrue(warnings.get(0).contains("SERVFAIL for mathoid"), warnings.get(0));
      assertTrue(warnings.get(1).contains("(60 failures since the last warning)"), warnings.get(1));
      assertEquals(118, logs.containing("failed again").size(), "the other 118 at debug level");

      discovery.push(Endpoint.of("10.0.0.1", 80));
      assertEquals(
          List.of(
              "INFO service 'mathoid': discovery pushed answers again after 120 failed attempts"),
          logs.containing("answers again"));

      discovery.fail("SERVFAIL for mathoid");
      assertEquals(3, logs.containing("WARN").size(), "a new streak warns at once");
    }
  }
}
