package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** An HTTPRoute rule's match as a Meshwork route's, with its Gateway API precedence. */
final class GatewayMatches {
  private GatewayMatches() {}

  /**
   * Writes the match; its rank: path kind (exact, regex, prefix), prefix length, method, headers.
   */
  static int[] match(Node match, ObjectNode condition) {
    int[] rank = {2, 1, 0, 0};
    Node path = match.object("path");
    if (path != null) {
      String type = path.text("type");
      String value = path.text("value");
      path.finish();
      value = value == null ? "/" : value;
      switch (type == null ? "PathPrefix" : type) {
        case "Exact" -> {
          condition.putObject("path").put("exact", value);
          rank[0] = 0;
        }
        case "RegularExpression" -> {
          condition.putObject("path").put("regex", value);
          rank[0] = 1;
        }
        case "PathPrefix" -> {
          String trimmed =
              value.length() > 1 && value.endsWith("/")
                  ? value.substring(0, value.length() - 1)
                  : value;
          rank[1] = trimmed.length();
          if (!trimmed.equals("/")) {
            // Element by element: /abc matches /abc and /abc/def, not /abcd.
            condition.putObject("path").put("regex", Context.literal(trimmed) + "(/.*)?");
          }
        }
        default ->
            match.report.unsupported(
                match.manifest,
                path.at("type"),
                TextNode.valueOf(type),
                "one of Exact, PathPrefix, RegularExpression",
                true);
      }
    }
    String method = match.text("method");
    if (method != null) {
      condition.putArray("methods").add(method);
      rank[2] = 1;
    }
    ArrayNode headers = Context.array();
    Set<String> seen = new HashSet<>();
    for (Node header : match.objects("headers")) {
      String type = header.text("type");
      String name = header.text("name");
      String value = header.text("value");
      header.finish();
      if (name == null || value == null || !seen.add(name.toLowerCase(Locale.ROOT))) {
        // Gateway API considers only the first entry of a name.
        continue;
      }
      ObjectNode entry = headers.addObject().put("name", name);
      if (type == null || type.equals("Exact")) {
        entry.put("exact", value);
      } else if (type.equals("RegularExpression")) {
        entry.put("regex", value);
      } else {
        match.report.unsupported(
            match.manifest,
            header.at("type"),
            TextNode.valueOf(type),
            "one of Exact, RegularExpression",
            true);
      }
    }
    if (!headers.isEmpty()) {
      condition.set("headers", headers);
      rank[3] = headers.size();
    }
    match.unsupported(
        "queryParams", "Meshwork matches a call by path, method and headers only", true);
    match.finish();
    if (path == null) {
      rank[1] = 1;
    }
    return rank;
  }
}
