package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document applied again, changed in one service, leaves every other service exactly as it runs:
 * the same generation (its breaker, limits, budget and balancer state) and its discovery watch,
 * whatever the source. A file or DNS source compiled anew from the same text is equal to the
 * running one, so it is not restarted.
 */
class ReapplyTest {
  private static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices:\n";

  @Test
  void servicesADocumentLeavesAloneKeepTheirGenerationAndTheirWatch(@TempDir Path dir)
      throws Exception {
    Path endpoints = dir.resolve("citoid.yaml");
    Files.writeString(endpoints, "services:\n  citoid:\n    - {address: 10.0.2.1:1970}\n");
    try (Mesh mesh = MeshConfig.parse(document(endpoints, "10.0.1.1"), "mesh.yaml").build()) {
      TransportContext transport =
          MeshTransports.attach(mesh, TransportContext.class, context -> context);
      ServiceInvoker citoid = transport.invoker("citoid");
      ServiceInvoker restbase = transport.invoker("restbase");
      ServiceInvoker mathoid = transport.invoker("mathoid");
      awaitEndpoints(mesh, "citoid", List.of(Endpoint.parse("10.0.2.1:1970")));
      // A new watch of the file would read this at once; the running one polls hourly.
      Files.writeString(endpoints, "services:\n  citoid:\n    - {address: 10.0.2.9:1970}\n");

      MeshConfigurer.of(mesh)
          .apply(
              MeshConfig.parse(document(endpoints, "10.0.1.2"), "mesh.yaml").services(),
              "mesh.yaml",
              "2");

      assertSame(citoid, transport.invoker("citoid"), "file source: generation kept");
      assertSame(restbase, transport.invoker("restbase"), "DNS source: generation kept");
      assertNotSame(mathoid, transport.invoker("mathoid"), "the changed service moves on");
      assertEquals(List.of(Endpoint.parse("10.0.2.1:1970")), mesh.endpoints("citoid"));
      assertEquals(List.of(Endpoint.parse("10.0.1.2:10044")), mesh.endpoints("mathoid"));
    }
  }

  /** Waits, checking every 10 ms for at most 10 s, until the file source has answered. */
  private static void awaitEndpoints(Mesh mesh, String service, List<Endpoint> expected) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!mesh.endpoints(service).equals(expected) && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    assertEquals(expected, mesh.endpoints(service), service + "'s first answer");
  }

  private static String document(Path endpoints, String mathoidAddress) {
    return HEAD
        + "  mathoid: {discovery: {static: [\""
        + mathoidAddress
        + ":10044\"]}}\n"
        + "  citoid: {discovery: {file: {path: '"
        + endpoints
        + "', pollInterval: 1h}}}\n"
        + "  restbase:\n"
        + "    discovery:\n"
        + "      dns: {srv: _http._tcp.restbase.invalid, resolver: '127.0.0.1:9', timeout: 1s}\n";
  }
}
