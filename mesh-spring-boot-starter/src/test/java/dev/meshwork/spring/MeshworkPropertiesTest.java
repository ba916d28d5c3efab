package dev.meshwork.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A Spring Boot application configured by {@code meshwork.*} properties only, calling real backends
 * on loopback through a Retrofit bean, an HTTP interface bean, the context's RestClient and the
 * OkHttpClient bean; a 90/10 canary between two subsets.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class MeshworkPropertiesTest {
  private static final Backend V1 = Backend.start("v1");
  private static final Backend V2 = Backend.start("v2");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("meshwork.mesh.random-seed", () -> "42");
    registry.add(
        "meshwork.services.mathoid.discovery.static[0]", () -> V1.address() + " version=v1");
    registry.add(
        "meshwork.services.mathoid.discovery.static[1]", () -> V2.address() + " version=v2");
    registry.add("meshwork.services.mathoid.load-balancer.policy", () -> "roundRobin");
    registry.add("meshwork.services.mathoid.timeouts.overall", () -> "5s");
    registry.add("meshwork.services.mathoid.retries.max-attempts", () -> "3");
    registry.add("meshwork.services.mathoid.subsets.v1.version", () -> "v1");
    registry.add("meshwork.services.mathoid.subsets.v2.version", () -> "v2");
    registry.add("meshwork.services.mathoid.routes[0].name", () -> "canary");
    registry.add("meshwork.services.mathoid.routes[0].split[0].subset", () -> "v1");
    registry.add("meshwork.services.mathoid.routes[0].split[0].weight", () -> "90");
    registry.add("meshwork.services.mathoid.routes[0].split[1].subset", () -> "v2");
    registry.add("meshwork.services.mathoid.routes[0].split[1].weight", () -> "10");
  }

  @AfterAll
  static void stop() {
    V1.close();
    V2.close();
  }

  @Autowired Mesh mesh;
  @Autowired MathoidApi retrofit;
  @Autowired MathoidExchange exchange;
  @Autowired RestClient.Builder restClient;
  @Autowired OkHttpClient okHttp;

  @Test
  void propertiesBecomeTheServicesSettings() {
    var config = mesh.config("mathoid");
    assertEquals(3, config.retries().maxAttempts(), config.toString());
    String yaml = MeshConfig.of(mesh).toYaml();
    assertTrue(yaml.contains("policy: roundRobin"), yaml);
    assertEquals(2, mesh.endpoints("mathoid").size());
  }

  @Test
  void retrofitBeanCallsTheMeshService() throws IOException {
    try (ResponseBody body = retrofit.render().execute().body()) {
      assertTrue(body.string().matches("v[12]"));
    }
  }

  @Test
  void httpInterfaceBeanCallsTheMeshService() {
    assertTrue(exchange.render().matches("v[12]"));
  }

  @Test
  void restClientFromTheContextCallsTheMeshService() {
    String answer =
        restClient.build().get().uri("http://mathoid/render").retrieve().body(String.class);
    assertTrue(answer.matches("v[12]"), answer);
  }

  /**
   * 1000 calls split 90/10 by a seeded mesh: the share of v2 is 10% within 3 points (about three
   * standard deviations of a fair 10% draw, so an unseeded run would pass too).
   */
  @Test
  void canarySplitFromProperties() throws IOException {
    int v2 = 0;
    for (int i = 0; i < 1000; i++) {
      try (Response response =
          okHttp.newCall(new Request.Builder().url("http://mathoid/render").build()).execute()) {
        if (response.body().string().equals("v2")) {
          v2++;
        }
      }
    }
    assertTrue(v2 >= 70 && v2 <= 130, "v2 got " + v2 + " of 1000 calls; expected 100 +- 30");
  }
}
