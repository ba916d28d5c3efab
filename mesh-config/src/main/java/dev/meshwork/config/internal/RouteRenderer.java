package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/** Writes a route table as a service's {@code subsets} and {@code routes}. */
final class RouteRenderer {
  private RouteRenderer() {}

  static void render(RouteTable table, ObjectNode service) {
    ObjectNode subsets = service.putObject("subsets");
    table
        .subsets()
        .values()
        .forEach(
            subset -> {
              ObjectNode labels = subsets.putObject(subset.name());
              new TreeMap<>(subset.labels()).forEach(labels::put);
            });
    ArrayNode routes = service.putArray("routes");
    for (Route route : table.routes()) {
      routes.add(route(route));
    }
  }

  private static ObjectNode route(Route route) {
    ObjectNode out = Fields.newObject();
    out.put("name", route.name());
    if (route.path().isPresent() || !route.methods().isEmpty() || !route.headers().isEmpty()) {
      ObjectNode match = out.putObject("match");
      route
          .path()
          .ifPresent(
              path ->
                  match
                      .putObject("path")
                      .put(path.kind().name().toLowerCase(Locale.ROOT), path.value()));
      if (!route.methods().isEmpty()) {
        match.set("methods", Fields.array(new TreeSet<>(route.methods())));
      }
      if (!route.headers().isEmpty()) {
        ArrayNode headers = match.putArray("headers");
        for (HeaderMatch header : route.headers()) {
          ObjectNode item = headers.addObject();
          item.put("name", header.name());
          switch (header.kind()) {
            case PRESENT -> item.put("present", true);
            case EXACT -> item.put("exact", header.value().orElse(""));
            case REGEX -> item.put("regex", header.value().orElse(""));
          }
        }
      }
    }
    if (!route.split().isEmpty()) {
      ArrayNode split = out.putArray("split");
      route
          .split()
          .forEach(w -> split.addObject().put("subset", w.subset()).put("weight", w.weight()));
    }
    if (!route.overrides().isEmpty()) {
      ArrayNode overrides = out.putArray("overrides");
      route
          .overrides()
          .forEach(
              o ->
                  overrides
                      .addObject()
                      .put("header", o.header())
                      .put("value", o.value())
                      .put("subset", o.subset()));
    }
    route
        .mirror()
        .ifPresent(
            m -> {
              ObjectNode mirror = out.putObject("mirror");
              mirror.put("subset", m.subset());
              mirror.set("percent", Fields.number(m.percent()));
              mirror.put("maxInFlight", m.maxInFlight());
              mirror.put("timeout", Durations.format(m.timeout()));
            });
    route.fault().ifPresent(f -> out.set("fault", fault(f)));
    route.timeout().ifPresent(t -> out.put("timeout", Durations.format(t)));
    return out;
  }

  private static ObjectNode fault(Fault fault) {
    ObjectNode out = Fields.newObject();
    fault
        .delay()
        .ifPresent(
            d -> {
              ObjectNode delay = out.putObject("delay");
              delay.put("duration", Durations.format(d));
              delay.set("percent", Fields.number(fault.delayPercent()));
            });
    if (fault.aborts()) {
      ObjectNode abort = out.putObject("abort");
      if (fault.abortConnection()) {
        abort.put("connectionError", true);
      } else {
        abort.put("status", fault.abortStatus());
      }
      abort.set("percent", Fields.number(fault.abortPercent()));
    }
    fault.triggerHeader().ifPresent(h -> out.put("triggerHeader", h));
    return out;
  }
}
