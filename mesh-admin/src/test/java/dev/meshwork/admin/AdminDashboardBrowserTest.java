package dev.meshwork.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.okhttp.Backends;
import dev.meshwork.okhttp.MeshOkHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin dashboard in a real headless Chromium (Debian's {@code chromium} package, which CI
 * installs): the page loads, shows every service and endpoint, and updates itself when an endpoint
 * is ejected or discovery adds one. Skipped, saying why, only where Chromium is absent.
 */
class AdminDashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path temp;
  private Backends backends;
  private PushedSource discovery;
  private Mesh mesh;
  private OkHttpClient client;

  @BeforeEach
  void start() {
    assumeTrue(
        HeadlessChromium.binary().isPresent(),
        "chromium is not installed (/usr/bin/chromium); CI installs Debian's chromium package for this test");
    backends = Backends.answering(3, 200);
    discovery = new PushedSource("pushed by the test");
    mesh =
        MeshAdmins.started(
            Mesh.builder()
                .decisions(256)
                .service("citoid", s -> s.endpoints(backends.address(2)))
                .service(
                    "mathoid",
                    s ->
                        s.discovery(discovery)
                            .loadBalancer(LoadBalancers.roundRobin())
                            .retries(RetryPolicy.disabled())
                            .routes(
                                RouteTable.builder()
                                    .route(Route.builder("everything").pathPrefix("/").build())
                                    .build())
                            .outlierDetection(OutlierDetection.builder().consecutive5xx(3).build()))
                .build(),
            AdminOptions.builder().port(0).build());
    client = MeshOkHttp.of(mesh).client();
  }

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
      backends.close();
    }
  }

  @Test
  void thePageShowsEveryServiceEndpointAndRecentDecisions() throws Exception {
    discovery.push(endpoint(0), endpoint(1));
    assertTrue(mesh.awaitDiscovery(WAIT));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, call("mathoid"));
    }
    assertEquals(200, call("citoid"));

    // Five seconds of virtual time: the page refreshes every second without the test waiting.
    String dom =
        HeadlessChromium.dumpDom(profile(), MeshAdmins.of(mesh).uri(), Duration.ofSeconds(5));

    assertTrue(dom.contains("data-service=\"mathoid\""), dom);
    assertTrue(dom.contains("data-service=\"citoid\""), dom);
    for (int i = 0; i < 3; i++) {
      assertTrue(
          dom.contains("data-endpoint=\"" + backends.address(i) + "\""),
          backends.address(i) + " missing: " + dom);
    }
    assertTrue(dom.contains("2/2 healthy"), dom);
    assertTrue(dom.contains("breaker CLOSED"), dom);
    assertTrue(dom.contains("discovery HEALTHY"), dom);
    assertTrue(dom.contains("data-kind=\"PICK\""), dom);
    assertTrue(dom.contains(">ready<"), dom);
    assertTrue(dom.contains("data-route=\"everything\""), dom);
    assertTrue(dom.contains("route everything: prefix / → all endpoints"), dom);
    assertFalse(dom.contains("data-ejected=\"true\""), dom);
    assertTrue(
        refreshes(dom) >= 2,
        "the page refreshed itself " + refreshes(dom) + " times in 5 s of virtual time");
  }

  @Test
  void theOpenPageUpdatesItselfWhenAnEndpointIsEjectedAndAnotherAdded() throws Exception {
    discovery.push(endpoint(0), endpoint(1));
    assertTrue(mesh.awaitDiscovery(WAIT));
    URI page = MeshAdmins.of(mesh).uri();
    try (HeadlessChromium chromium = HeadlessChromium.open(profile(), page)) {
      String row = "document.querySelector('[data-endpoint=\"" + backends.address(1) + "\"]')";
      awaitPage(chromium, row + "?.dataset.ejected", "false");

      // Backend 1 breaks: round robin sends it every other call, and its third 500 ejects it.
      backends.get(1).resetAll();
      backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
      for (int i = 0; i < 6; i++) {
        call("mathoid");
      }
      assertTrue(Backends.status(mesh, "mathoid", backends.address(1)).ejected());
      awaitPage(chromium, row + "?.dataset.ejected", "true");
      awaitPage(chromium, row + ".textContent.includes('EJECTED')", "true");
      awaitPage(
          chromium, "String(document.querySelector('[data-kind=\"EJECTION\"]') !== null)", "true");

      // Discovery adds backend 2 to mathoid: a new row appears without a reload.
      discovery.push(endpoint(0), endpoint(1), endpoint(2));
      String added =
          "document.querySelector('[data-service=\"mathoid\"] [data-endpoint=\""
              + backends.address(2)
              + "\"]')";
      awaitPage(chromium, "String(" + added + " !== null)", "true");
      assertEquals(
          "1",
          chromium.evaluate("String(performance.getEntriesByType('navigation').length)"),
          "one navigation: the page updated itself");
    }
  }

  @Test
  void theHeaderShowsTheConfigInUseAndTheLastRefusedOne() throws Exception {
    discovery.push(endpoint(0), endpoint(1));
    assertTrue(mesh.awaitDiscovery(WAIT));
    try (HeadlessChromium chromium = HeadlessChromium.open(profile(), MeshAdmins.of(mesh).uri())) {
      awaitPage(chromium, "document.getElementById('config').dataset.generation", "1");
      MeshConfigurer configurer = MeshConfigurer.of(mesh);
      configurer.apply(
          List.of(ServiceConfig.builder("citoid").endpoints(backends.address(2)).build()),
          "mesh.yaml",
          "v2");
      awaitPage(chromium, "document.getElementById('config').dataset.generation", "2");
      awaitPage(
          chromium,
          "String(document.getElementById('config').textContent.startsWith("
              + "'config mesh.yaml v2 · generation 2'))",
          "true");
      awaitPage(chromium, "String(document.querySelector('[data-service=\"mathoid\"]'))", "null");
      configurer.rejected("mesh.yaml", "v3", "line 2: unknown field 'retriez'");
      awaitPage(chromium, "String(document.getElementById('config-error').hidden)", "false");
      assertEquals(
          "refused mesh.yaml v3: line 2: unknown field 'retriez'",
          chromium.evaluate("document.getElementById('config-error').textContent"));
    }
  }

  private Endpoint endpoint(int index) {
    return Endpoint.of("127.0.0.1", backends.get(index).port());
  }

  private int call(String service) throws Exception {
    return Backends.statusOf(client, new Request.Builder().url("http://" + service + "/").build());
  }

  /** A fresh, throwaway Chromium profile. */
  private Path profile() throws Exception {
    return Files.createTempDirectory(temp, "chromium-profile");
  }

  private static void awaitPage(HeadlessChromium chromium, String expression, String expected)
      throws Exception {
    String[] last = new String[1];
    Backends.await(
        () -> {
          try {
            return expected.equals(last[0] = chromium.evaluate(expression));
          } catch (Exception e) {
            last[0] = e.toString();
            return false;
          }
        },
        WAIT,
        () -> expression + " is " + last[0] + ", expected " + expected);
  }

  private static int refreshes(String dom) {
    Matcher matcher = Pattern.compile("data-refreshes=\"(\\d+)\"").matcher(dom);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
