package dev.meshwork.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.UnknownMeshHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which hosts look like mesh services, and the policy each mesh gets by default. */
class UnknownHostsTest {
  private final UnknownHosts refusing =
      UnknownHosts.of(
          UnknownHostPolicy.REFUSE_MESH_LIKE, List.of("svc.cluster.local", "internal"), false);

  @Test
  void singleLabelHostsAndHostsUnderAMeshDomainLookLikeServices() {
    for (String host :
        List.of(
            "biling",
            "biling.",
            "Biling",
            "billing.payments.svc.cluster.local",
            "svc.cluster.local",
            "db.internal")) {
      assertTrue(refusing.meshLike(host), host);
    }
  }

  @Test
  void localhostIpLiteralsAndOtherDomainsDoNot() {
    for (String host :
        List.of(
            "localhost",
            "localhost.",
            "127.0.0.1",
            "10.1.2.3",
            "::1",
            "fe80::1",
            "api.example.org",
            "cluster.local",
            "notinternal.example")) {
      assertFalse(refusing.meshLike(host), host);
    }
  }

  @Test
  void theDefaultRefusesOnlyWithAnIdentityAndAChoiceWins() {
    assertEquals(
        UnknownHostPolicy.REFUSE_MESH_LIKE, UnknownHosts.of(null, List.of(), true).policy());
    assertEquals(UnknownHostPolicy.PASS_THROUGH, UnknownHosts.of(null, List.of(), false).policy());
    assertEquals(
        UnknownHostPolicy.PASS_THROUGH,
        UnknownHosts.of(UnknownHostPolicy.PASS_THROUGH, List.of(), true).policy());
    assertFalse(UnknownHosts.of(null, List.of(), true).chosen());
  }

  @Test
  void passThroughAdmitsEveryHostAndRefusalNamesTheServices() {
    UnknownHosts passing =
        UnknownHosts.of(UnknownHostPolicy.PASS_THROUGH, List.of("internal"), true);
    assertDoesNotThrow(() -> passing.admit("biling", () -> Set.of(ServiceName.of("billing"))));

    UnknownMeshHostException e =
        assertThrows(
            UnknownMeshHostException.class,
            () ->
                refusing.admit(
                    "db.internal",
                    () -> Set.of(ServiceName.of("mathoid"), ServiceName.of("billing"))));
    assertEquals(List.of(ServiceName.of("billing"), ServiceName.of("mathoid")), e.services());
    assertTrue(
        e.getMessage()
            .startsWith("host 'db.internal' is not a mesh service (services: billing, mathoid)"),
        e.getMessage());
  }
}
