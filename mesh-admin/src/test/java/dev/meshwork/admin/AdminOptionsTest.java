package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import org.junit.jupiter.api.Test;

/**
 * Admin options: loopback by default, other addresses only when asked for, errors naming field and
 * value.
 */
class AdminOptionsTest {

  @Test
  void defaultsAreLoopbackAndPort9901() {
    AdminOptions options = AdminOptions.defaults();
    assertEquals("127.0.0.1", options.bindAddress().getHostAddress());
    assertEquals(9901, options.port());
  }

  @Test
  void aNonLoopbackAddressMustBeAskedFor() {
    MeshConfigException refused =
        assertThrows(
            MeshConfigException.class, () -> AdminOptions.builder().bindAddress("0.0.0.0").build());
    assertEquals("admin bindAddress", refused.field());
    assertEquals("0.0.0.0", refused.value());
    assertTrue(refused.getMessage().contains("allowNonLoopback(true)"), refused.getMessage());

    AdminOptions exposed =
        AdminOptions.builder().bindAddress("0.0.0.0").allowNonLoopback(true).build();
    assertEquals("0.0.0.0", exposed.bindAddress().getHostAddress());
    assertEquals(
        "::1",
        AdminOptions.builder()
            .bindAddress("::1")
            .build()
            .bindAddress()
            .getHostAddress()
            .replace("0:0:0:0:0:0:0:1", "::1"));
  }

  @Test
  void outOfRangeValuesNameTheFieldAndWhatIsAccepted() {
    MeshConfigException port =
        assertThrows(MeshConfigException.class, () -> AdminOptions.builder().port(65_536).build());
    assertEquals("admin port", port.field());
    assertEquals(
        "admin port: '65536' is invalid; expected 0 (any free port) to 65535", port.getMessage());
    MeshConfigException blank =
        assertThrows(
            MeshConfigException.class, () -> AdminOptions.builder().bindAddress(" ").build());
    assertEquals("admin bindAddress", blank.field());
  }

  @Test
  void allowedHostsAreHostNamesWithoutPortOrWildcard() {
    assertEquals(java.util.Set.of(), AdminOptions.defaults().allowedHosts());
    assertEquals(
        java.util.Set.of("mesh-admin.internal", "10.0.0.7"),
        AdminOptions.builder()
            .allowedHosts("Mesh-Admin.Internal", "10.0.0.7")
            .build()
            .allowedHosts());
    for (String bad :
        new String[] {
          "mesh-admin.internal:9901",
          "*.internal",
          "http://mesh-admin",
          "",
          "-x.internal",
          "a..b",
          null
        }) {
      MeshConfigException refused =
          assertThrows(
              MeshConfigException.class,
              () -> AdminOptions.builder().allowedHosts(bad).build(),
              String.valueOf(bad));
      assertEquals("admin allowedHosts", refused.field());
      assertTrue(
          refused.getMessage().contains("without scheme, port or wildcard"), refused.getMessage());
    }
  }
}
