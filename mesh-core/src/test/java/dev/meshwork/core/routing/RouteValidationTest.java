package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad routes are refused by build(), naming the route, the field and the value. */
class RouteValidationTest {

  private static MeshConfigException refused(Executable build) {
    return assertThrows(MeshConfigException.class, build);
  }

  @Test
  void aRouteConfiguredInPlaceIsTheRouteItsBuilderMakes() {
    RouteTable inPlace =
        RouteTable.builder()
            .subset("v1", "version", "v1")
            .subset("v2", "version", "v2")
            .route("canary", r -> r.pathPrefix("/render").split("v1", 95).split("v2", 5))
            .build();
    Route built =
        Route.builder("canary").pathPrefix("/render").split("v1", 95).split("v2", 5).build();

    assertEquals(built, inPlace.route("canary").orElseThrow());
    MeshConfigException e =
        refused(() -> RouteTable.builder().route("canary", r -> r.split("v1", -1)));
    assertEquals("route 'canary' split weight of subset 'v1'", e.field());
  }

  @Test
  void negativeWeightIsRefusedNamingRouteAndSubset() {
    MeshConfigException e =
        refused(() -> Route.builder("canary").split("v1", 100).split("v2", -5).build());
    assertEquals("route 'canary' split weight of subset 'v2'", e.field());
    assertEquals("-5", e.value());
  }

  @Test
  void allZeroWeightsAreRefused() {
    MeshConfigException e =
        refused(() -> Route.builder("canary").split("v1", 0).split("v2", 0).build());
    assertEquals("route 'canary' split weights", e.field());
    assertTrue(e.getMessage().contains("at least one positive weight"), e.getMessage());
  }

  @Test
  void subsetListedTwiceInOneSplitIsRefused() {
    MeshConfigException e =
        refused(() -> Route.builder("canary").split("v1", 1).split("v1", 2).build());
    assertEquals("route 'canary' split", e.field());
  }

  @Test
  void unknownSubsetIsRefusedByTheTableNamingTheRoutePart() {
    Route route = Route.builder("canary").split("v1", 90).split("v3", 10).build();
    MeshConfigException e =
        refused(
            () ->
                RouteTable.builder()
                    .subset("v1", "version", "v1")
                    .subset("v2", "version", "v2")
                    .route(route)
                    .build());
    assertEquals("route 'canary' split subset", e.field());
    assertEquals("v3", e.value());
    assertTrue(e.getMessage().contains("[v1, v2]"), e.getMessage());
  }

  @Test
  void unknownOverrideAndMirrorSubsetsAreRefused() {
    MeshConfigException override =
        refused(
            () ->
                RouteTable.builder()
                    .subset("v1", "version", "v1")
                    .route(Route.builder("r").to("v1").override("x-canary", "always", "v9").build())
                    .build());
    assertEquals("route 'r' override 'x-canary' subset", override.field());
    MeshConfigException mirror =
        refused(
            () ->
                RouteTable.builder()
                    .subset("v1", "version", "v1")
                    .route(Route.builder("r").mirror("shadow", 10).build())
                    .build());
    assertEquals("route 'r' mirror subset", mirror.field());
    assertEquals("shadow", mirror.value());
  }

  @Test
  void invalidRegexesAreRefusedNamingTheRoute() {
    MeshConfigException path =
        refused(() -> Route.builder("api").pathRegex("/v[0-9+/render").build());
    assertEquals("route 'api' path regex", path.field());
    assertEquals("/v[0-9+/render", path.value());
    MeshConfigException header =
        refused(() -> Route.builder("api").headerRegex("x-user", "(alice").build());
    assertEquals("route 'api' header 'x-user' regex", header.field());
  }

  @Test
  void relativePathsAreRefused() {
    MeshConfigException e = refused(() -> Route.builder("api").pathPrefix("render").build());
    assertEquals("route 'api' path prefix", e.field());
  }

  @Test
  void percentagesOutsideZeroToHundredAreRefusedNamingRouteAndField() {
    MeshConfigException mirror = refused(() -> Route.builder("r").mirror("v2", 100.5).build());
    assertEquals("route 'r' mirror percent", mirror.field());
    assertEquals("100.5", mirror.value());
    MeshConfigException delay =
        refused(() -> Route.builder("r").fault(f -> f.delay(Duration.ofMillis(10), -1)).build());
    assertEquals("route 'r' fault delay percent", delay.field());
    MeshConfigException abort =
        refused(() -> Route.builder("r").fault(f -> f.abortStatus(503, 250)).build());
    assertEquals("route 'r' fault abort percent", abort.field());
    MeshConfigException nan =
        refused(() -> Route.builder("r").fault(f -> f.abortConnection(Double.NaN)).build());
    assertEquals("route 'r' fault abort percent", nan.field());
  }

  @Test
  void faultsMustBeWellFormed() {
    assertEquals(
        "route 'r' fault abort status",
        refused(() -> Route.builder("r").fault(f -> f.abortStatus(99, 10)).build()).field());
    assertEquals(
        "route 'r' fault abort",
        refused(
                () ->
                    Route.builder("r")
                        .fault(f -> f.abortStatus(503, 10).abortConnection(10))
                        .build())
            .field());
    assertEquals(
        "route 'r' fault", refused(() -> Route.builder("r").fault(f -> {}).build()).field());
  }

  @Test
  void duplicateRouteNamesAreRefused() {
    MeshConfigException e =
        refused(
            () ->
                RouteTable.builder()
                    .route(Route.builder("same").pathPrefix("/a").build())
                    .route(Route.builder("same").pathPrefix("/b").build())
                    .build());
    assertEquals("route name", e.field());
    assertEquals("same", e.value());
  }

  @Test
  void subsetsNeedAtLeastOneLabel() {
    MeshConfigException e = refused(() -> RouteTable.builder().subset("v1", java.util.Map.of()));
    assertEquals("subset 'v1' labels", e.field());
  }

  @Test
  void tablesBuiltWithoutTheBuilderAreCheckedToo() {
    Route route = Route.builder("canary").to("v2").build();
    MeshConfigException e =
        refused(() -> new RouteTable(java.util.Map.of(), java.util.List.of(route)));
    assertEquals("route 'canary' split subset", e.field());
  }

  @Test
  void splitWeightsThatOverflowAreRefused() {
    MeshConfigException e =
        refused(() -> Route.builder("big").split("v1", Integer.MAX_VALUE).split("v2", 1).build());
    assertEquals("route 'big' split weights", e.field());
  }

  @Test
  void aSubsetDeclaredTwiceIsRefused() {
    MeshConfigException e =
        refused(
            () -> RouteTable.builder().subset("v1", "version", "v1").subset("v1", "track", "b"));
    assertEquals("subset name", e.field());
    assertEquals("v1", e.value());
  }

  @Test
  void methodsMustBeHttpTokens() {
    MeshConfigException e = refused(() -> Route.builder("api").methods("GET", "").build());
    assertEquals("route 'api' method", e.field());
    assertEquals("", e.value());
  }

  @Test
  void mirrorTimeoutMustBePositive() {
    MeshConfigException e =
        refused(() -> Route.builder("r").mirror("v2", 5, 4, Duration.ZERO).build());
    assertEquals("route 'r' mirror timeout", e.field());
  }
}
