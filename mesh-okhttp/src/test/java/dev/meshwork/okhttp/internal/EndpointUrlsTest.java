package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class EndpointUrlsTest {
  private static final List<String> LOGICAL =
      List.of(
          "http://mathoid/",
          "http://mathoid",
          "http://mathoid:8080/v1/users/12345/orders",
          "http://mathoid/v1/a%2Fb/c?limit=10&x=%20y&plus=a+b",
          "http://mathoid/search?",
          "http://mathoid/search?q",
          "http://mathoid/trailing/",
          "http://mathoid/caf%C3%A9/%E2%9C%93?name=caf%C3%A9",
          "http://mathoid/a:b/c;d=e?x=1#section",
          "http://user:secret@mathoid/private",
          "http://mathoid//double/slash?q=1",
          "https://mathoid/already/tls?z=%25");

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          Endpoint.of("127.0.0.1", 8081),
          Endpoint.of("::1", 9443),
          Endpoint.of("mathoid-0.mathoid.svc", 80),
          Endpoint.of("10.0.4.7", 443));

  @Test
  void aimedUrlsMatchTheFullRebuildForEveryShapeOfUrl() {
    EndpointUrls urls = new EndpointUrls();
    for (String text : LOGICAL) {
      HttpUrl logical = HttpUrl.get(text);
      for (Endpoint endpoint : ENDPOINTS) {
        for (String scheme : List.of("http", "https")) {
          HttpUrl expected = EndpointUrls.rebuild(logical, scheme, endpoint);
          for (int repeat = 0;
              repeat < 2;
              repeat++) { // the second time from the endpoint's recent URLs
            HttpUrl aimed = urls.aim(HttpUrl.get(text), scheme, endpoint);
            assertEquals(expected, aimed, text + " -> " + scheme + " " + endpoint.address());
            assertEquals(expected.toString(), aimed.toString());
            assertEquals(expected.pathSegments(), aimed.pathSegments());
            assertEquals(expected.encodedQuery(), aimed.encodedQuery());
          }
        }
      }
    }
  }

  @Test
  void theSameEndpointUnderAnotherSchemeGetsThatScheme() {
    EndpointUrls urls = new EndpointUrls();
    Endpoint endpoint = Endpoint.of("127.0.0.1", 8443);
    HttpUrl logical = HttpUrl.get("http://mathoid/x");
    assertEquals("http://127.0.0.1:8443/x", urls.aim(logical, "http", endpoint).toString());
    assertEquals("https://127.0.0.1:8443/x", urls.aim(logical, "https", endpoint).toString());
    assertEquals("http://127.0.0.1:8443/x", urls.aim(logical, "http", endpoint).toString());
  }

  @Test
  void aRepeatedUrlIsServedFromTheEndpointsRecentUrlsAndManyPathsStayCorrect() {
    EndpointUrls urls = new EndpointUrls();
    Endpoint endpoint = Endpoint.of("127.0.0.1", 8081);
    HttpUrl first = urls.aim(HttpUrl.get("http://mathoid/render/png"), "http", endpoint);
    assertSame(first, urls.aim(HttpUrl.get("http://mathoid/render/png"), "http", endpoint));
    for (int i = 0; i < 1_000; i++) { // far more paths than slots: every answer still the right one
      String path = "/users/" + i + "?page=" + (i % 7);
      assertEquals(
          "http://127.0.0.1:8081" + path,
          urls.aim(HttpUrl.get("http://mathoid" + path), "http", endpoint).toString());
      assertEquals(
          "http://127.0.0.1:8081" + path,
          urls.aim(HttpUrl.get("http://mathoid" + path), "http", endpoint).toString());
    }
    assertEquals(
        "http://127.0.0.1:8081/users/1",
        urls.aim(HttpUrl.get("http://other/users/1"), "http", endpoint).toString());
  }

  @Test
  void theCacheStaysBoundedWhenEndpointsChurn() {
    EndpointUrls urls = new EndpointUrls();
    HttpUrl logical = HttpUrl.get("http://mathoid/x");
    for (int i = 0; i < EndpointUrls.MAX_CACHED * 2 + 10; i++) {
      Endpoint endpoint =
          Endpoint.of("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 8080);
      assertEquals(
          "http://" + endpoint.address() + "/x", urls.aim(logical, "http", endpoint).toString());
      assertTrue(urls.cached() <= EndpointUrls.MAX_CACHED, "cache holds " + urls.cached());
    }
  }
}
