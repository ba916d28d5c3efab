package dev.meshwork.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;

/** Startup and refresh of the auto-configured mesh: wrong properties, back-off, live properties. */
class MeshworkStartupTest {
  private static final Backend V1 = Backend.start("v1");
  private static final Backend V2 = Backend.start("v2");

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MeshworkAutoConfiguration.class));

  @AfterAll
  static void stop() {
    V1.close();
    V2.close();
  }

  @Test
  void unknownBalancerFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues(
            "meshwork.services.mathoid.discovery.static[0]=" + V1.address(),
            "meshwork.services.mathoid.load-balancer.policy=fastest")
        .run(
            context -> {
              String message = rootMessage(context.getStartupFailure());
              assertTrue(
                  message.contains(
                      "meshwork.services.mathoid.load-balancer.policy: 'fastest' is invalid; expected"),
                  message);
              assertTrue(message.contains("roundRobin"), message);
            });
  }

  @Test
  void negativeTimeoutFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues(
            "meshwork.services.mathoid.discovery.static[0]=" + V1.address(),
            "meshwork.services.mathoid.timeouts.overall=-1s")
        .run(
            context -> {
              String message = rootMessage(context.getStartupFailure());
              assertTrue(
                  message.contains("meshwork.services.mathoid.timeouts.overall: '-1s' is invalid"),
                  message);
            });
  }

  @Test
  void unknownSettingFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues(
            "meshwork.services.mathoid.discovery.static[0]=" + V1.address(),
            "meshwork.services.mathoid.retries.max-atempts=3")
        .run(
            context -> {
              String message = rootMessage(context.getStartupFailure());
              assertTrue(message.contains("meshwork.services.mathoid.retries"), message);
              assertTrue(message.contains("max-atempts"), message);
            });
  }

  @Test
  void applicationsOwnMeshMakesTheAutoConfigurationBackOff() {
    try (Mesh own = Mesh.builder().service("citoid", s -> s.endpoints(V1.address())).build()) {
      runner
          .withBean(Mesh.class, () -> own, d -> d.setDestroyMethodName(""))
          .withPropertyValues("meshwork.services.mathoid.load-balancer.policy=fastest")
          .run(
              context -> {
                assertSame(own, context.getBean(Mesh.class));
                assertFalse(context.containsBean("meshworkMesh"));
                assertFalse(context.containsBean("meshworkRefresher"));
                assertNotNull(context.getBean(MeshOkHttp.class));
              });
    }
  }

  @Test
  void refreshedPropertiesApplyLiveAndWrongOnesAreRefusedWhole() {
    Map<String, Object> live = new HashMap<>();
    live.put("meshwork.services.mathoid.discovery.static[0]", V1.address());
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("live", live)))
        .run(
            context -> {
              Mesh mesh = context.getBean(Mesh.class);
              MeshworkRefresher refresher = context.getBean(MeshworkRefresher.class);
              assertEquals(List.of(V1.address()), addresses(mesh));
              long generation = mesh.configStatus().generation();

              live.put("meshwork.services.mathoid.discovery.static[0]", V2.address());
              ConfigStatus applied = refresher.refresh();
              assertEquals(generation + 1, applied.generation(), applied.toString());
              assertEquals(List.of(V2.address()), addresses(mesh));

              live.put("meshwork.services.mathoid.timeouts.per-try", "soon");
              ConfigStatus refused = refresher.refresh();
              assertEquals(generation + 1, refused.generation());
              String error = refused.lastError().orElseThrow().message();
              assertTrue(
                  error.contains("meshwork.services.mathoid.timeouts.per-try: 'soon'"), error);
              assertEquals(List.of(V2.address()), addresses(mesh));
            });
  }

  @Test
  void springCloudEnvironmentChangeEventReappliesTheProperties() {
    Map<String, Object> live = new HashMap<>();
    live.put("meshwork.services.mathoid.discovery.static[0]", V1.address());
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("live", live)))
        .run(
            context -> {
              Mesh mesh = context.getBean(Mesh.class);
              live.put("meshwork.services.mathoid.discovery.static[0]", V2.address());
              context.publishEvent(
                  new EnvironmentChangeEvent(
                      context, Set.of("meshwork.services.mathoid.discovery.static[0]")));
              assertEquals(List.of(V2.address()), addresses(mesh));
            });
  }

  private static List<String> addresses(Mesh mesh) {
    return mesh.endpoints("mathoid").stream().map(e -> e.address()).toList();
  }

  private static String rootMessage(Throwable failure) {
    assertNotNull(failure, "startup should have failed");
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
