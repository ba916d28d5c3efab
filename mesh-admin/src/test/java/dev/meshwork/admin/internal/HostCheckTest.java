package dev.meshwork.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.admin.AdminOptions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host headers the admin endpoint serves, for binds AdminRequestRulesTest cannot make on every
 * machine.
 */
class HostCheckTest {

  /** The check of an endpoint started with {@code options}. */
  private static HostCheck hostCheck(AdminOptions options) {
    return new HostCheck(
        new AdminSettings(options.bindAddress(), options.port(), options.allowedHosts()));
  }

  @Test
  void anIpv6LoopbackBindAnswersItsBracketedLiteral() throws Exception {
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    InetAddress local = InetAddress.getByAddress(loopback);
    HostCheck check = hostCheck(AdminOptions.builder().bindAddress("::1").build());
    assertTrue(check.allows("[::1]:9901", local));
    assertTrue(check.allows("[0:0:0:0:0:0:0:1]", local));
    assertTrue(check.allows("localhost:9901", local));
    assertFalse(check.allows("::1", local), "an IPv6 literal must be bracketed");
    assertFalse(check.allows("[::1", local));
    assertFalse(check.allows("127.0.0.1:9901", local));
  }

  @Test
  void aWildcardBindAnswersTheAddressARequestArrivedOn() throws Exception {
    InetAddress arrivedOn = InetAddress.getByName("10.1.2.3");
    HostCheck check =
        hostCheck(
            AdminOptions.builder()
                .bindAddress("0.0.0.0")
                .allowNonLoopback(true)
                .allowedHosts("mesh-admin.internal")
                .build());
    assertTrue(check.allows("10.1.2.3:9901", arrivedOn));
    assertTrue(check.allows("mesh-admin.internal:443", arrivedOn));
    assertFalse(check.allows("10.1.2.4:9901", arrivedOn));
    assertFalse(check.allows("rebound.example", arrivedOn));
    assertFalse(check.allows(null, arrivedOn));
  }

  @Test
  void namesAreParsedWithoutLookingAnythingUp() {
    assertEquals("localhost", HostCheck.name(" LocalHost.:80 "));
    assertEquals("[::1]", HostCheck.name("[::1]:80"));
    assertNull(HostCheck.name("localhost:80:80"));
    assertNull(HostCheck.name("localhost:"));
    assertNull(HostCheck.name(""));
    assertNull(HostCheck.literal("rebound.example"), "a name is never resolved");
    assertNull(HostCheck.literal("2130706433"), "nor a number read as an address");
  }

  /**
   * A dotted quad with an octet beyond 255 is no literal, and the JDK would resolve it as a name
   * (through search domains, perhaps to an attacker's address). A JVM of its own whose resolver is
   * a hosts file knowing that name shows whether literal() asked it.
   */
  @Test
  void aQuadBeyondAnOctetIsNeverLookedUp(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 999.1.1.1\n");
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts,
                "-cp",
                System.getProperty("java.class.path"),
                LiteralProbe.class.getName(),
                "999.1.1.1")
            .redirectErrorStream(true)
            .start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe JVM exits");
    assertEquals("null", output.strip(), "literal('999.1.1.1') looked the name up");
  }

  /** Prints {@code HostCheck.literal(args[0])}, for a JVM with a resolver of the test's choice. */
  static final class LiteralProbe {
    public static void main(String[] args) {
      System.out.println(HostCheck.literal(args[0]));
    }
  }
}
