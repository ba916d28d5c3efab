package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Route equality is what a live apply uses to find changed services: every component counts. */
class RouteEqualityTest {
  private static Route.Builder base() {
    return Route.builder("render")
        .pathPrefix("/render")
        .methods("GET")
        .header("x-tenant", "wiki")
        .split("v1", 90)
        .split("v2", 10)
        .override("x-canary", "always", "v2")
        .mirror("v2", 5)
        .timeout(Duration.ofSeconds(2));
  }

  @Test
  void equalRoutesAreEqualWithEqualHashCodes() {
    Route one = base().build();
    Route two = base().build();
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
  }

  @Test
  void aDifferenceInAnyComponentMakesRoutesUnequal() {
    Route route = base().build();
    List<UnaryOperator<Route.Builder>> changes =
        List.of(
            b -> Route.builder("other").pathPrefix("/render").methods("GET"),
            b -> b.pathPrefix("/svg"),
            b -> b.methods("GET", "HEAD"),
            b -> b.header("x-user", "a"),
            b -> b.split("v3", 1),
            b -> b.override("x-canary", "never", "v1"),
            b -> b.mirror("v1", 5),
            b -> b.fault(f -> f.abortStatus(503, 10)),
            b -> b.timeout(Duration.ofSeconds(3)));
    for (UnaryOperator<Route.Builder> change : changes) {
      Route changed = change.apply(base()).build();
      assertNotEquals(route, changed, changed::toString);
      assertNotEquals(changed, route, changed::toString);
    }
  }

  @Test
  void listOrderCounts() {
    Route ordered = Route.builder("r").split("v1", 90).split("v2", 10).build();
    Route reversed = Route.builder("r").split("v2", 10).split("v1", 90).build();
    assertNotEquals(ordered, reversed);
  }
}
