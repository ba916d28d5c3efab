package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.Fields;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/** An Istio route's match conditions and fault injection, as a Meshwork route's. */
final class IstioMatches {
  private IstioMatches() {}

  static ObjectNode fault(Node fault) {
    ObjectNode built = Fields.newObject();
    Node delay = fault.object("delay");
    if (delay != null) {
      Duration fixed = delay.duration("fixedDelay");
      delay.unsupported(
          "exponentialDelay", "an exponential delay: Meshwork delays by a fixed time", true);
      BigDecimal percent = percent(delay);
      delay.finish();
      if (fixed != null && !fixed.isZero()) {
        ObjectNode node = built.putObject("delay");
        node.put("duration", Context.duration(fixed));
        node.set("percent", Fields.number(percent.doubleValue()));
      }
    }
    Node abort = fault.object("abort");
    if (abort != null) {
      Long status = abort.integer("httpStatus", 200, 599);
      abort.unsupported("grpcStatus", "a gRPC status: Meshwork aborts with an HTTP status", true);
      abort.unsupported("http2Error", "an HTTP/2 error: Meshwork aborts with an HTTP status", true);
      BigDecimal percent = percent(abort);
      abort.finish();
      if (status != null) {
        ObjectNode node = built.putObject("abort");
        node.put("status", status.intValue());
        node.set("percent", Fields.number(percent.doubleValue()));
      }
    }
    fault.finish();
    return built;
  }

  /** A fault's share of calls: {@code percentage.value}, else the old {@code percent}, else 0. */
  private static BigDecimal percent(Node owner) {
    Node percentage = owner.object("percentage");
    Long legacy = owner.integer("percent", 0, 100);
    if (percentage != null) {
      BigDecimal value = percentage.number("value", 0, 100);
      percentage.finish();
      return value == null ? BigDecimal.ZERO : value;
    }
    return legacy == null ? BigDecimal.ZERO : BigDecimal.valueOf(legacy);
  }

  static ObjectNode match(Node match) {
    ObjectNode condition = Fields.newObject();
    Node uri = match.object("uri");
    if (uri != null) {
      String[] string = stringMatch(uri);
      if (string != null) {
        condition.putObject("path").put(string[0], string[1]);
      }
    }
    Node method = match.object("method");
    if (method != null) {
      String[] string = stringMatch(method);
      if (string != null && string[0].equals("exact")) {
        condition.putArray("methods").add(string[1]);
      } else if (string != null) {
        match.report.unsupported(
            match.manifest,
            method.path,
            method.node,
            "a method matched by " + string[0] + ": Meshwork matches methods exactly",
            true);
      }
    }
    Node headers = match.object("headers");
    if (headers != null) {
      ArrayNode list = condition.putArray("headers");
      Iterator<String> names = headers.node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        JsonNode value = headers.raw(name);
        if (List.of("uri", "scheme", "method", "authority").contains(name)) {
          match.report.unsupported(
              match.manifest, headers.at(name), value, "Istio ignores this key in headers", false);
          continue;
        }
        Node header = Node.of(match.manifest, headers.at(name), value, match.report);
        if (header == null) {
          continue;
        }
        ObjectNode entry = Fields.newObject().put("name", name);
        if (header.node.isEmpty()) {
          entry.put("present", true);
        } else {
          String[] string = stringMatch(header);
          if (string == null) {
            continue;
          }
          switch (string[0]) {
            case "exact" -> entry.put("exact", string[1]);
            case "prefix" -> entry.put("regex", Context.literal(string[1]) + ".*");
            default -> entry.put("regex", string[1]);
          }
        }
        list.add(entry);
      }
      if (list.isEmpty()) {
        condition.remove("headers");
      }
    }
    String why = "Meshwork matches a call by path, method and headers only";
    for (String key :
        List.of(
            "scheme",
            "authority",
            "port",
            "sourceLabels",
            "gateways",
            "queryParams",
            "withoutHeaders",
            "sourceNamespace")) {
      match.unsupported(key, why, true);
    }
    Boolean ignoreCase = match.bool("ignoreUriCase");
    if (Boolean.TRUE.equals(ignoreCase)) {
      match.report.unsupported(
          match.manifest,
          match.at("ignoreUriCase"),
          match.node.get("ignoreUriCase"),
          "Meshwork matches paths case-sensitively",
          true);
    }
    match.unsupported("statPrefix", "Meshwork names route metrics by the route", false);
    match.finish();
    return condition;
  }

  /** An Istio StringMatch as {kind, value}: exact, prefix or regex; null after a problem. */
  private static String[] stringMatch(Node string) {
    String[] found = null;
    for (String kind : List.of("exact", "prefix", "regex")) {
      String value = string.text(kind);
      if (value != null) {
        if (found != null) {
          string.report.error(
              string.manifest, string.path, string.node, "one of exact, prefix, regex");
          return null;
        }
        found = new String[] {kind, value};
      }
    }
    string.finish();
    if (found == null) {
      string.report.error(string.manifest, string.path, string.node, "one of exact, prefix, regex");
    }
    return found;
  }
}
