package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * Builds random route tables, swaps each into a live mesh and routes random requests through it,
 * checking every call against a model of the documented rules: the first route whose conditions all
 * hold decides; an override whose header matches pins its subset, else the split draws among
 * subsets of positive weight, else any endpoint; a subset without endpoints fails the call naming
 * the route and the subset. A table either builds (and rebuilds equal from {@code toBuilder}) or is
 * refused with a {@link MeshConfigException}. Input: lines of a small language, see {@link #parse}.
 * Seeds: {@code src/test/resources/dev/meshwork/core/routing/RouteTableFuzzTestInputs}.
 */
class RouteTableFuzzTest {
  private static final List<Endpoint> ENDPOINTS =
      List.of(
          Endpoint.builder("10.0.1.1", 80).label("version", "v1").build(),
          Endpoint.builder("10.0.1.2", 80).label("version", "v1").label("zone", "a").build(),
          Endpoint.builder("10.0.2.1", 80).label("version", "v2").build(),
          Endpoint.builder("10.0.2.2", 80).label("version", "v2").label("track", "canary").build(),
          Endpoint.of("10.0.9.9", 80));

  /** Route regexes come from configuration, not from callers: a fixed set, all linear-time. */
  private static final List<String> REGEXES =
      List.of(
          "/render/.*", "/[a-z]+", "/api/v[0-9]+/.*", ".*\\.png", "/", "[^/]*", "(/[a-z0-9]+)*");

  private static final Mesh MESH =
      Mesh.builder()
          .randomSeed(7)
          .service(
              "mathoid",
              s -> s.endpoints(ENDPOINTS.toArray(Endpoint[]::new)).retries(RetryPolicy.disabled()))
          .build();

  @AfterAll
  static void close() {
    MESH.close();
  }

  private record Call(String method, String path, Map<String, String> headers) {}

  /** Answers 200 from wherever the mesh sent the attempt, and remembers where that was. */
  private static final class Recording implements Exchange<Integer> {
    Endpoint sentTo;

    @Override
    public Integer send(Endpoint endpoint, AttemptContext attempt) {
      sentTo = endpoint;
      return 200;
    }

    @Override
    public int status(Integer response) {
      return response;
    }

    @Override
    public void discard(Integer response) {}
  }

  @FuzzTest
  void routes(byte[] input) throws IOException {
    RouteTable.Builder builder = RouteTable.builder();
    List<Call> calls = new ArrayList<>();
    RouteTable table;
    try {
      parse(new String(input, StandardCharsets.UTF_8), builder, calls);
      table = builder.build();
    } catch (MeshConfigException e) {
      assertNotNull(e.field(), "a refusal names the field");
      assertTrue(
          e.getMessage().startsWith(e.field() + ": "), "the message starts with the field: " + e);
      return;
    }
    assertEquals(table, table.toBuilder().build(), "toBuilder rebuilds the same table");
    MESH.replaceRoutes("mathoid", table);
    assertEquals(table, MESH.routes("mathoid"));
    for (Call call : calls) {
      check(table, call);
    }
  }

  private static void check(RouteTable table, Call call) throws IOException {
    RoutedRequest request = new RoutedRequest(call.method(), call.path(), call.headers());
    Recording exchange = new Recording();
    MeshException.NoHealthyEndpoints none = null;
    try {
      Invokers.of(MESH, "mathoid").invoke(request, exchange);
    } catch (MeshException.NoHealthyEndpoints e) {
      none = e;
    } catch (MeshConfigException e) {
      // The documented refusal of a regex that java.util.regex cannot match without running out
      // of stack; only a long value takes that many repetitions.
      assertTrue(
          e.getMessage().startsWith("route '") && e.getMessage().contains("ran out of stack"),
          "a call fails only for a regex that ran out of stack: " + e.getMessage());
      assertTrue(longestValue(request) > 500, "a short value cannot exhaust the stack: " + e);
      return;
    }
    Route route;
    try {
      route = firstMatch(table, request);
    } catch (StackOverflowError modelRanOutOfStack) {
      return; // the model's own regex recursion; the mesh was shallower and answered
    }
    Set<String> allowed = new HashSet<>();
    String pinned = route == null ? null : pinned(route, request);
    if (route == null || route.split().isEmpty() && pinned == null) {
      ENDPOINTS.forEach(e -> allowed.add(e.address()));
    } else if (pinned != null) {
      allowed.addAll(members(table.subsets().get(pinned)));
    } else {
      for (Route.WeightedSubset destination : route.split()) {
        if (destination.weight() > 0) {
          allowed.addAll(members(table.subsets().get(destination.subset())));
        }
      }
    }
    if (none != null) {
      assertNotNull(route, "a call no route claims has every endpoint: " + none.getMessage());
      assertTrue(
          none.getMessage().contains("route '" + route.name() + "' subset "),
          "the failure names the route and the subset: " + none.getMessage());
      return;
    }
    assertTrue(
        allowed.contains(exchange.sentTo.address()),
        call + " went to " + exchange.sentTo + "; route " + route + " allows " + allowed);
  }

  private static Route firstMatch(RouteTable table, RoutedRequest request) {
    for (Route candidate : table.routes()) {
      if (matches(candidate, request)) {
        return candidate;
      }
    }
    return null;
  }

  private static int longestValue(RoutedRequest request) {
    int longest = request.path().length();
    for (String value : request.headers().values()) {
      longest = Math.max(longest, value.length());
    }
    return longest;
  }

  /** The model of {@link Route#matches}: path, method and every header condition. */
  private static boolean matches(Route route, RoutedRequest request) {
    if (route.path().isPresent()) {
      PathMatch path = route.path().get();
      boolean ok =
          switch (path.kind()) {
            case PREFIX -> request.path().startsWith(path.value());
            case EXACT -> request.path().equals(path.value());
            case REGEX -> Pattern.matches(path.value(), request.path());
          };
      if (!ok) {
        return false;
      }
    }
    if (!route.methods().isEmpty() && !route.methods().contains(request.method())) {
      return false;
    }
    for (HeaderMatch header : route.headers()) {
      String value = request.header(header.name());
      boolean ok =
          value != null
              && switch (header.kind()) {
                case PRESENT -> true;
                case EXACT -> value.equals(header.value().orElseThrow());
                case REGEX -> Pattern.matches(header.value().orElseThrow(), value);
              };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String pinned(Route route, RoutedRequest request) {
    for (Route.SubsetOverride override : route.overrides()) {
      if (override.value().equals(request.header(override.header()))) {
        return override.subset();
      }
    }
    return null;
  }

  private static Set<String> members(RouteTable.Subset subset) {
    Set<String> members = new HashSet<>();
    for (Endpoint endpoint : ENDPOINTS) {
      if (subset.labels().entrySet().stream()
          .allMatch(l -> l.getValue().equals(endpoint.labels().get(l.getKey())))) {
        members.add(endpoint.address());
      }
    }
    return members;
  }

  /**
   * One statement per line, words separated by spaces; unknown lines are ignored:
   *
   * <pre>
   * subset NAME KEY=VALUE...
   * route NAME [prefix=P] [exact=P] [regex=N] [methods=A,B] [header=H:V] [present=H]
   *       [headerregex=H:N] [split=S:W,S:W] [override=H:V:S]
   * call METHOD PATH [HEADER=VALUE...]
   * </pre>
   *
   * where N picks one of the fixed regular expressions.
   */
  private static void parse(String text, RouteTable.Builder table, List<Call> calls) {
    for (String line : text.split("\n")) {
      String[] words = line.split(" ");
      if (words.length < 2) {
        continue;
      }
      switch (words[0]) {
        case "subset" -> {
          Map<String, String> labels = new LinkedHashMap<>();
          for (int i = 2; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals >= 0) {
              labels.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
          }
          table.subset(words[1], labels);
        }
        case "route" -> table.route(route(words));
        case "call" -> {
          Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          for (int i = 3; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals > 0) {
              headers.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
          }
          calls.add(new Call(words[1], words.length > 2 ? words[2] : "/", headers));
        }
        default -> {}
      }
    }
  }

  private static Route route(String[] words) {
    Route.Builder route = Route.builder(words[1]);
    for (int i = 2; i < words.length; i++) {
      int equals = words[i].indexOf('=');
      if (equals < 0) {
        continue;
      }
      String value = words[i].substring(equals + 1);
      String[] parts = value.split(":", -1);
      switch (words[i].substring(0, equals)) {
        case "prefix" -> route.pathPrefix(value);
        case "exact" -> route.pathExact(value);
        case "regex" -> route.pathRegex(regex(value));
        case "methods" -> route.methods(value.split(","));
        case "header" -> route.header(parts[0], parts.length > 1 ? parts[1] : "");
        case "present" -> route.headerPresent(value);
        case "headerregex" -> route.headerRegex(parts[0], regex(parts.length > 1 ? parts[1] : ""));
        case "split" -> {
          for (String entry : value.split(",")) {
            String[] split = entry.split(":", -1);
            route.split(split[0], split.length > 1 ? weight(split[1]) : 1);
          }
        }
        case "override" -> {
          if (parts.length == 3) {
            route.override(parts[0], parts[1], parts[2]);
          }
        }
        default -> {}
      }
    }
    return route.build();
  }

  private static String regex(String index) {
    return REGEXES.get(Math.floorMod(weight(index), REGEXES.size()));
  }

  private static int weight(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return text.length();
    }
  }
}
