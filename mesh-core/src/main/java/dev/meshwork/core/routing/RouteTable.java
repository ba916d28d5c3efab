package dev.meshwork.core.routing;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.routing.Route.SubsetOverride;
import dev.meshwork.core.routing.Route.WeightedSubset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A service's traffic rules: the subsets its endpoints fall into and the routes, tried in order,
 * that send calls to them. The first route whose conditions hold decides; a call no route matches,
 * like every call of a service without routes, may go to any of its endpoints.
 *
 * <p>Set one at build time with {@code ServiceConfig.Builder.routes(...)} and swap it on a live
 * mesh with {@code Mesh.replaceRoutes(service, table)}: the swap is atomic and applies to calls
 * that start afterwards; calls in flight finish on the table they started with.
 *
 * <pre>{@code
 * RouteTable canary = RouteTable.builder()
 *     .subset("v1", "version", "v1")
 *     .subset("v2", "version", "v2")
 *     .route(Route.builder("canary").split("v1", 95).split("v2", 5)
 *         .override("x-canary", "always", "v2").build())
 *     .build();
 * }</pre>
 *
 * <p>A route naming a subset that has no endpoints fails its calls with a message naming the route
 * and the subset; it does not fall back to other endpoints, so a mistyped label shows up at once
 * instead of silently sending the canary's traffic to the stable version.
 *
 * @param subsets the subsets by name, in declaration order
 * @param routes the routes in the order they are tried
 */
public record RouteTable(Map<String, Subset> subsets, List<Route> routes) {
  private static final RouteTable NONE = new RouteTable(Map.of(), List.of());

  /**
   * Validates the table: every subset a route names is declared, and route names are unique.
   *
   * @throws MeshConfigException naming the route and the field
   */
  public RouteTable {
    subsets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subsets));
    routes = List.copyOf(routes);
    List<String> names = new ArrayList<>();
    for (Route route : routes) {
      if (names.contains(route.name())) {
        throw new MeshConfigException(
            "route name", route.name(), "a name no other route of the table has");
      }
      names.add(route.name());
      for (WeightedSubset destination : route.split()) {
        checkDeclared(subsets, route, "split", destination.subset());
      }
      for (SubsetOverride override : route.overrides()) {
        checkDeclared(subsets, route, "override '" + override.header() + "'", override.subset());
      }
      if (route.mirror().isPresent()) {
        checkDeclared(subsets, route, "mirror", route.mirror().get().subset());
      }
    }
  }

  private static void checkDeclared(
      Map<String, Subset> subsets, Route route, String part, String subset) {
    if (!subsets.containsKey(subset)) {
      throw new MeshConfigException(
          "route '" + route.name() + "' " + part + " subset",
          subset,
          subsets.isEmpty()
              ? "a subset declared in the route table (it declares none)"
              : "one of the declared subsets " + subsets.keySet());
    }
  }

  /** No subsets and no routes: every call may go to every endpoint. The default. */
  public static RouteTable none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this table's subsets and routes, to change a few and build anew. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    subsets.values().forEach(builder::subset);
    routes.forEach(builder::route);
    return builder;
  }

  /** The route called {@code name}; empty when the table has none by that name. */
  public Optional<Route> route(String name) {
    for (Route route : routes) {
      if (route.name().equals(name)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return routes.isEmpty() && subsets.isEmpty()
        ? "RouteTable{none}"
        : "RouteTable{subsets=" + subsets.values() + ", routes=" + routes + "}";
  }

  /**
   * Collects subsets and routes; {@link #build()} checks that every subset a route names exists.
   */
  public static final class Builder {
    private final Map<String, Subset> subsets = new LinkedHashMap<>();
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /** Declares subset {@code name}: the endpoints labelled {@code label=value}. */
    public Builder subset(String name, String label, String value) {
      return subset(
          name,
          Map.of(Objects.requireNonNull(label, "label"), Objects.requireNonNull(value, "value")));
    }

    /** Declares subset {@code name}: the endpoints carrying all of {@code labels}. */
    public Builder subset(String name, Map<String, String> labels) {
      return subset(new Subset(name, labels));
    }

    /**
     * @throws MeshConfigException when a subset of that name is already declared
     */
    public Builder subset(Subset subset) {
      if (subsets.putIfAbsent(subset.name(), subset) != null) {
        throw new MeshConfigException(
            "subset name", subset.name(), "a name no other subset of the table has");
      }
      return this;
    }

    /** Appends {@code route}; routes are tried in the order they were added. */
    public Builder route(Route route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /**
     * Appends the route {@code name}, configured by {@code configure} on a fresh {@link
     * Route#builder(String) Route.builder(name)}; for example {@code .route("canary", r ->
     * r.split("v1", 95).split("v2", 5))}.
     */
    public Builder route(String name, Consumer<Route.Builder> configure) {
      Route.Builder builder = Route.builder(name);
      configure.accept(builder);
      return route(builder.build());
    }

    /**
     * Replaces the route of the same name in place, keeping its position; appends it when there is
     * none.
     */
    public Builder replaceRoute(Route route) {
      for (int i = 0; i < routes.size(); i++) {
        if (routes.get(i).name().equals(route.name())) {
          routes.set(i, route);
          return this;
        }
      }
      return route(route);
    }

    /**
     * Validates and returns the table.
     *
     * @throws MeshConfigException naming the route and the field when a route names an undeclared
     *     subset or two routes share a name
     */
    public RouteTable build() {
      return new RouteTable(subsets, routes);
    }
  }

  /**
   * A named slice of a service's endpoints: those whose labels include every label of the selector,
   * for example {@code version=v2}. Routes send traffic to subsets by name.
   *
   * @param name how routes refer to the subset, for example {@code v2}
   * @param labels the labels an endpoint must carry, all of them, with these values; never empty
   */
  public record Subset(String name, Map<String, String> labels) {

    public Subset {
      if (name == null || name.isBlank()) {
        throw new MeshConfigException("subset name", name, "a non-blank name such as 'v2'");
      }
      Objects.requireNonNull(labels, "labels");
      if (labels.isEmpty()) {
        throw new MeshConfigException(
            "subset '" + name + "' labels",
            labels,
            "at least one label, such as version=v2 (a route without a subset already reaches every endpoint)");
      }
      labels = Map.copyOf(labels);
    }

    /** Whether {@code endpoint} belongs to this subset. */
    public boolean contains(Endpoint endpoint) {
      Map<String, String> has = endpoint.labels();
      for (Map.Entry<String, String> wanted : labels.entrySet()) {
        if (!wanted.getValue().equals(has.get(wanted.getKey()))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      // Sorted, so the effective configuration prints the same way every time.
      return name + new TreeMap<>(labels);
    }
  }
}
