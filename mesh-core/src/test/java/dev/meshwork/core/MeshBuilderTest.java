package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.security.TlsMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@code build()} refuses, and how it says so. */
class MeshBuilderTest {

  @Test
  void anInvalidStaticEndpointIsRefusedNamingTheEntry() {
    MeshConfigException badPort =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service("mathoid", s -> s.endpoints("127.0.0.1:8081", "127.0.0.1:99999"))
                    .build());
    assertEquals(
        "service 'mathoid' static endpoint #2: '127.0.0.1:99999' is invalid;"
            + " expected a port number in 1..65535",
        badPort.getMessage());
    assertEquals("service 'mathoid' static endpoint #2", badPort.field());

    MeshConfigException emptyHost =
        assertThrows(
            MeshConfigException.class,
            () -> Mesh.builder().service("mathoid", s -> s.endpoints(":8081")).build());
    assertEquals(
        "service 'mathoid' static endpoint #1: ':8081' is invalid;"
            + " expected a DNS name or an IP address",
        emptyHost.getMessage());
  }

  @Test
  void duplicateAddressesAreRefused() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service("mathoid", s -> s.endpoints("127.0.0.1:8081", "127.0.0.1:8081"))
                    .build());
    assertEquals(
        "service 'mathoid' endpoint #2: '127.0.0.1:8081' is invalid; expected each address to appear once",
        e.getMessage());
  }

  @Test
  void aServiceNeedsExactlyOneSourceOfEndpoints() {
    MeshConfigException none =
        assertThrows(
            MeshConfigException.class, () -> Mesh.builder().service("mathoid", s -> {}).build());
    assertEquals("service 'mathoid' discovery", none.field());

    MeshConfigException both =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service(
                        "mathoid", s -> s.endpoints("127.0.0.1:1").discovery(StaticDiscovery.of()))
                    .build());
    assertEquals(
        "service 'mathoid' discovery: 'static[0 endpoints]' is invalid;"
            + " expected either static endpoints or a discovery source, not both",
        both.getMessage());
  }

  @Test
  void peerIdentitiesNeedMutualTls() {
    MeshConfigException disabled =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service(
                        "mathoid",
                        s ->
                            s.endpoints("127.0.0.1:1")
                                .tls(TlsMode.DISABLED)
                                .peerIdentities("spiffe://cluster.local/ns/default/sa/mathoid"))
                    .build());
    assertEquals("service 'mathoid' peerIdentities", disabled.field());
    assertEquals("[spiffe://cluster.local/ns/default/sa/mathoid]", disabled.value());
    MeshConfigException noSecurity =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service(
                        "mathoid",
                        s -> s.endpoints("127.0.0.1:1").peerIdentities("spiffe://cluster.local/x"))
                    .build());
    assertEquals(
        "service 'mathoid' peerIdentities: '[spiffe://cluster.local/x]' is invalid;"
            + " expected no peer identities for a plaintext service; they need tls MUTUAL",
        noSecurity.getMessage());
  }

  @Test
  void withoutPeerSecurityServicesArePlaintext() {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:1")).build()) {
      assertEquals(null, Invokers.of(mesh, "mathoid").clientTls());
      assertEquals(Optional.empty(), mesh.security());
    }
  }

  @Test
  void serviceNamesAreValidatedAndUnique() {
    assertThrows(
        MeshConfigException.class,
        () -> Mesh.builder().service("Mathoid", s -> s.endpoints("127.0.0.1:1")).build());
    MeshConfigException twice =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service("mathoid", s -> s.endpoints("127.0.0.1:1"))
                    .service("mathoid", s -> s.endpoints("127.0.0.1:2"))
                    .build());
    assertEquals(
        "service: 'mathoid' is invalid; expected each service name to be configured once",
        twice.getMessage());
  }

  @Test
  void aValidConfigurationStartsWithItsStaticEndpoints() {
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.endpoints("127.0.0.1:8081", "[::1]:8082"))
            .service(
                ServiceConfig.builder("restbase").endpoints(Endpoint.of("10.0.0.1", 7231)).build())
            .build()) {
      assertEquals(Set.of(ServiceName.of("mathoid"), ServiceName.of("restbase")), mesh.services());
      assertEquals(
          List.of(Endpoint.of("127.0.0.1", 8081), Endpoint.of("::1", 8082)),
          mesh.endpoints("mathoid"));
      assertEquals("mathoid", Invokers.of(mesh, "mathoid").service().value());
      assertEquals(null, Invokers.of(mesh, "example.org"));
      IllegalArgumentException unknown =
          assertThrows(IllegalArgumentException.class, () -> mesh.endpoints("citoid"));
      assertEquals(
          "service 'citoid' is not configured in this mesh; configured: [mathoid, restbase]",
          unknown.getMessage());
    }
  }
}
