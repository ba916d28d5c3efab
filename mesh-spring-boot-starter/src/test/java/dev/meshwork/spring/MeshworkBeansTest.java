package dev.meshwork.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.spring.internal.MeshPropertiesFailureAnalyzer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Documents on the class path, telemetry from the context, the health indicator, failure reports.
 */
class MeshworkBeansTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MeshworkAutoConfiguration.class));

  @Test
  void meshFromAClasspathDocument() {
    runner
        .withPropertyValues("meshwork.config-location=classpath:meshwork/test-mesh.yaml")
        .run(
            context -> {
              Mesh mesh = context.getBean(Mesh.class);
              assertEquals(2, mesh.config("citoid").retries().maxAttempts());
            });
  }

  @Test
  void brokenDocumentFailsStartupNamingFileLineAndField() {
    runner
        .withPropertyValues("meshwork.config-location=classpath:meshwork/broken-mesh.yaml")
        .run(
            context -> {
              String message = messages(context.getStartupFailure());
              assertTrue(message.contains("meshwork.config-location"), message);
              assertTrue(message.contains("broken-mesh.yaml:6"), message);
              assertTrue(message.contains("services.citoid.retries.maxAttempts"), message);
            });
  }

  @Test
  void documentAndPropertiesAtOnceAreRefused() {
    runner
        .withPropertyValues(
            "meshwork.config-location=classpath:meshwork/test-mesh.yaml",
            "meshwork.services.mathoid.discovery.static[0]=127.0.0.1:1")
        .run(
            context -> {
              String message = messages(context.getStartupFailure());
              assertTrue(message.contains("meshwork.config-location"), message);
              assertTrue(message.contains("both set"), message);
            });
  }

  @Test
  void contextMeterRegistryMetersTheMesh() {
    MeterRegistry registry = new SimpleMeterRegistry();
    runner
        .withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues("meshwork.services.mathoid.discovery.static[0]=127.0.0.1:1")
        .run(
            context ->
                assertSame(
                    registry,
                    context.getBean(Mesh.class).telemetry().meterRegistry().orElseThrow()));
  }

  @Test
  void healthIsDownUntilDiscoveryAnswers() throws Exception {
    runner
        .withPropertyValues(
            "meshwork.services.mathoid.discovery.dns.hostname=mathoid.invalid",
            "meshwork.services.mathoid.discovery.dns.port=10044",
            "meshwork.services.citoid.discovery.static[0]=127.0.0.1:1")
        .run(
            context -> {
              Object indicator = context.getBean("meshworkHealthIndicator");
              Object health = indicator.getClass().getMethod("health").invoke(indicator);
              Object status = health.getClass().getMethod("getStatus").invoke(health);
              assertEquals("DOWN", status.getClass().getMethod("getCode").invoke(status));
              Map<?, ?> details =
                  (Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health);
              assertTrue(
                  details
                      .get("problems")
                      .toString()
                      .contains("mathoid: discovery has not answered"),
                  details.toString());
            });
  }

  @Test
  void failureAnalysisNamesTheProperty() {
    runner
        .withPropertyValues(
            "meshwork.services.mathoid.discovery.static[0]=127.0.0.1:1",
            "meshwork.services.mathoid.retries.max-attempts=0")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new MeshPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
              assertNotNull(analysis);
              assertTrue(
                  analysis
                      .getDescription()
                      .contains("meshwork.services.mathoid.retries.max-attempts: '0'"),
                  analysis.getDescription());
            });
  }

  @Test
  void restClientBuildersSendThroughTheMeshUnlessTurnedOff() {
    try (Backend backend = Backend.start("v1")) {
      ApplicationContextRunner withBuilder =
          runner
              .withBean(RestClient.Builder.class, RestClient::builder)
              .withPropertyValues(
                  "meshwork.services.mathoid.discovery.static[0]=" + backend.address());
      withBuilder.run(
          context -> assertEquals("v1", render(context.getBean(RestClient.Builder.class))));
      withBuilder
          .withPropertyValues("meshwork.rest-client.enabled=false")
          .run(
              context -> {
                RestClient.Builder builder = context.getBean(RestClient.Builder.class);
                // Spring's own request factory: 'mathoid' is no host it can resolve
                assertThrows(ResourceAccessException.class, () -> render(builder));
              });
    }
  }

  private static String render(RestClient.Builder builder) {
    return builder.build().get().uri("http://mathoid/render").retrieve().body(String.class);
  }

  private static String messages(Throwable failure) {
    assertNotNull(failure, "startup should have failed");
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
