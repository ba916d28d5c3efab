package dev.meshwork.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fuzzes the {@code Host} header check in front of every admin page, the one parser there of input
 * any local web page can send (the admin endpoint reads no query parameters and no body). The check
 * never throws; it answers only {@code localhost}, the configured names and the literal addresses
 * the request arrived on or the endpoint is bound to; a literal is read without a lookup, exactly
 * when it is a dotted quad of octets or a bracketed IPv6 address. Seeds: {@code
 * src/test/resources/dev/meshwork/admin/internal/HostCheckFuzzTestInputs}.
 */
class HostCheckFuzzTest {
  private static final Pattern QUAD =
      Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
  private static final Set<String> NAMES = Set.of("localhost", "mesh-admin.internal");
  private static final InetAddress LOCAL = address(new byte[] {127, 0, 0, 1});
  private static final HostCheck CHECK =
      new HostCheck(
          new AdminSettings(InetAddress.getLoopbackAddress(), 9901, Set.of("mesh-admin.internal")));

  @FuzzTest
  void hostHeader(byte[] input) {
    String header = new String(input, StandardCharsets.UTF_8);
    String name = HostCheck.name(header);
    if (name != null) {
      assertTrue(!name.isEmpty(), "a name is never empty");
      assertEquals(name.toLowerCase(Locale.ROOT), name, "names are lower case");
      assertTrue(
          name.startsWith("[") ? name.endsWith("]") : name.indexOf(':') < 0,
          "no port in '" + name + "'");
    }
    boolean allowed = CHECK.allows(header, LOCAL);
    if (name == null) {
      assertTrue(!allowed, "a malformed Host is refused");
      return;
    }
    InetAddress literal = HostCheck.literal(name);
    assertEquals(model(name), literal, "the literal '" + name + "'");
    assertEquals(NAMES.contains(name) || LOCAL.equals(literal), allowed, "Host '" + header + "'");
  }

  /** A dotted quad of octets, or a bracketed IPv6 address (the JDK never resolves those). */
  private static InetAddress model(String name) {
    var quad = QUAD.matcher(name);
    if (quad.matches()) {
      byte[] octets = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(quad.group(i + 1));
        if (octet > 255) {
          return null;
        }
        octets[i] = (byte) octet;
      }
      return address(octets);
    }
    if (name.matches("\\[[0-9a-f:.]+\\]")) {
      try {
        return InetAddress.getByName(name);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    assertNull(HostCheck.literal(name), "only literals are addresses");
    return null;
  }

  private static InetAddress address(byte[] octets) {
    try {
      return InetAddress.getByAddress(octets);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
