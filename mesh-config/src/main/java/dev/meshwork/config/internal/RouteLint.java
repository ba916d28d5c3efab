package dev.meshwork.config.internal;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.PathMatch;
import dev.meshwork.core.routing.Route;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules about one service's routes: shadowing, regular expressions and faults. */
final class RouteLint {
  private RouteLint() {}

  static void lint(ServiceConfig service, String path, List<Finding> findings) {
    List<Route> routes = service.routes().routes();
    String name = service.name().value();
    for (int j = 0; j < routes.size(); j++) {
      Route route = routes.get(j);
      String at = DocPath.index(DocPath.child(path, "routes"), j);
      for (int i = 0; i < j; i++) {
        if (covers(routes.get(i), route)) {
          findings.add(
              LintRule.SHADOWED_ROUTE.at(
                  at,
                  "route '"
                      + route.name()
                      + "' of service '"
                      + name
                      + "' is never used: the earlier route '"
                      + routes.get(i).name()
                      + "' (routes["
                      + i
                      + "]) matches every call it matches, and the first match wins",
                  "move '"
                      + route.name()
                      + "' above '"
                      + routes.get(i).name()
                      + "', narrow '"
                      + routes.get(i).name()
                      + "', or delete '"
                      + route.name()
                      + "'"));
          break;
        }
      }
      regexes(route, at, findings);
      route.fault().ifPresent(fault -> fault(name, route, fault, at, findings));
    }
  }

  private static void regexes(Route route, String at, List<Finding> findings) {
    String match = DocPath.child(at, "match");
    route
        .path()
        .filter(p -> p.kind() == PathMatch.Kind.REGEX)
        .ifPresent(
            p ->
                RegexDialect.check(
                    "route '" + route.name() + "' path regex",
                    p.value(),
                    DocPath.child(DocPath.child(match, "path"), "regex"),
                    findings));
    List<HeaderMatch> headers = route.headers();
    for (int k = 0; k < headers.size(); k++) {
      HeaderMatch header = headers.get(k);
      if (header.kind() == HeaderMatch.Kind.REGEX) {
        RegexDialect.check(
            "route '" + route.name() + "' header '" + header.name() + "' regex",
            header.value().orElse(""),
            DocPath.child(DocPath.index(DocPath.child(match, "headers"), k), "regex"),
            findings);
      }
    }
  }

  private static void fault(
      String service, Route route, Fault fault, String at, List<Finding> findings) {
    if (fault.triggerHeader().isPresent()) {
      return;
    }
    StringBuilder what = new StringBuilder();
    fault
        .delay()
        .ifPresent(
            d ->
                what.append("delays ")
                    .append(Fields.number(fault.delayPercent()))
                    .append("% of its calls by ")
                    .append(Durations.format(d)));
    if (fault.aborts()) {
      what.append(what.length() == 0 ? "" : " and ")
          .append("fails ")
          .append(Fields.number(fault.abortPercent()))
          .append("% of its calls with ")
          .append(fault.abortConnection() ? "a connection error" : "status " + fault.abortStatus());
    }
    findings.add(
        LintRule.FAULT_WITHOUT_TRIGGER.at(
            DocPath.child(at, "fault"),
            "route '"
                + route.name()
                + "' of service '"
                + service
                + "' "
                + what
                + ", real users' calls included: the fault has no trigger header",
            "add fault.triggerHeader (such as x-chaos) so that only calls carrying it are"
                + " eligible"));
  }

  /** Whether every call {@code later} matches is matched by {@code earlier}. */
  static boolean covers(Route earlier, Route later) {
    if (!earlier.methods().isEmpty()
        && (later.methods().isEmpty() || !earlier.methods().containsAll(later.methods()))) {
      return false;
    }
    if (!covers(earlier.path(), later.path())) {
      return false;
    }
    for (HeaderMatch condition : earlier.headers()) {
      if (later.headers().stream().noneMatch(h -> implies(h, condition))) {
        return false;
      }
    }
    return true;
  }

  private static boolean covers(Optional<PathMatch> earlier, Optional<PathMatch> later) {
    if (earlier.isEmpty()) {
      return true;
    }
    if (later.isEmpty()) {
      return false;
    }
    PathMatch e = earlier.get();
    PathMatch l = later.get();
    return switch (e.kind()) {
      case PREFIX -> l.kind() != PathMatch.Kind.REGEX && l.value().startsWith(e.value());
      case EXACT -> l.kind() == PathMatch.Kind.EXACT && l.value().equals(e.value());
      case REGEX ->
          l.kind() == PathMatch.Kind.REGEX
              ? l.value().equals(e.value())
              : l.kind() == PathMatch.Kind.EXACT && wholeMatch(e.value(), l.value());
    };
  }

  /** Whether a request meeting {@code held} always meets {@code condition} (same header). */
  private static boolean implies(HeaderMatch held, HeaderMatch condition) {
    if (!held.name().equalsIgnoreCase(condition.name())) {
      return false;
    }
    String value = held.value().orElse("");
    return switch (condition.kind()) {
      case PRESENT -> true;
      case EXACT -> held.kind() == HeaderMatch.Kind.EXACT && value.equals(condition.value().get());
      case REGEX ->
          held.kind() == HeaderMatch.Kind.REGEX
              ? value.equals(condition.value().get())
              : held.kind() == HeaderMatch.Kind.EXACT && wholeMatch(condition.value().get(), value);
    };
  }

  private static boolean wholeMatch(String regex, String text) {
    try {
      return Pattern.compile(regex).matcher(text).matches();
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }
}
