package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"mathoid", "restbase-async", "mathoid.default.svc", "a", "x1"})
  void acceptsDnsSubdomains(String name) {
    assertEquals(name, ServiceName.of(name).value());
    assertTrue(ServiceName.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Mathoid", "-mathoid", "mathoid-", "math_oid", "a..b", "mathoid.", "math oid"})
  void refusesOtherNamesWithTheRule(String name) {
    assertFalse(ServiceName.isValid(name));
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> ServiceName.of(name));
    assertTrue(
        e.getMessage().startsWith("service name: '" + name + "' is invalid; expected "),
        e.getMessage());
  }

  @Test
  void refusesOverlongNames() {
    String name = ("a".repeat(63) + ".").repeat(4) + "b";
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> ServiceName.of(name));
    assertTrue(e.getMessage().endsWith("expected at most 253 characters"), e.getMessage());
  }
}
