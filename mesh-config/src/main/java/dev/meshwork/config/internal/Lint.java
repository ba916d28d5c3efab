package dev.meshwork.config.internal;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.security.TlsMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a compiled document for settings the builders accept but that do not do what they seem to:
 * retries that cannot happen, traffic that cannot arrive, safety nets that are off. Each finding
 * names its rule ({@link LintRule}) and the field path it concerns.
 */
public final class Lint {
  /** Methods the mesh treats as idempotent, as its retry stage does. */
  static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  /** A request carrying this header is idempotent to the mesh (the IETF httpapi draft). */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Set<RetryOn> MAY_HAVE_BEEN_SENT =
      Set.of(RetryOn.RESET, RetryOn.TIMEOUT, RetryOn.RETRIABLE_STATUS);

  private Lint() {}

  /**
   * The findings of every rule over {@code services}, service by service.
   *
   * @param meshHasIdentity whether the mesh speaks mutual TLS by default
   */
  public static List<Finding> lint(List<ServiceConfig> services, boolean meshHasIdentity) {
    List<Finding> findings = new ArrayList<>();
    for (ServiceConfig service : services) {
      String path = DocPath.child("services", service.name().value());
      service(service, path, meshHasIdentity, findings);
      RouteLint.lint(service, path, findings);
      SubsetLint.lint(service, path, findings);
    }
    return findings;
  }

  private static void service(
      ServiceConfig service, String path, boolean meshHasIdentity, List<Finding> findings) {
    String name = service.name().value();
    RetryPolicy retries = service.retries();
    if (retries.maxAttempts() > 1 && !service.retryBudget().enabled()) {
      findings.add(
          LintRule.RETRIES_WITHOUT_BUDGET.at(
              DocPath.child(DocPath.child(path, "retryBudget"), "enabled"),
              "service '"
                  + name
                  + "' retries "
                  + (retries.maxAttempts() == 2
                      ? "once"
                      : "up to " + (retries.maxAttempts() - 1) + " times")
                  + " per call with no retry budget: when it fails, every caller multiplies"
                  + " its load by "
                  + retries.maxAttempts(),
              "keep retryBudget enabled (20% of calls plus 10 retries/s by default), or set"
                  + " retries.maxAttempts: 1"));
    }
    timeouts(service, path, findings);
    if (service.hedgeDelay().isPresent() && retries.maxAttempts() < 2) {
      findings.add(
          LintRule.HEDGE_WITHOUT_ATTEMPTS.at(
              DocPath.child(DocPath.child(path, "hedging"), "delay"),
              "service '"
                  + name
                  + "' hedges after "
                  + Durations.format(service.hedgeDelay().get())
                  + " but allows 1 attempt per call, so no backup attempt is ever sent",
              "set retries.maxAttempts to 2 or more (a backup is an attempt), or remove hedging"));
    }
    if (meshHasIdentity && service.tls().orElse(null) == TlsMode.DISABLED) {
      findings.add(
          LintRule.PLAINTEXT_WITH_IDENTITY.at(
              DocPath.child(path, "tls"),
              "service '"
                  + name
                  + "' is called in plaintext although the mesh has an identity: its calls are"
                  + " neither encrypted nor is the peer verified",
              "remove 'tls: disabled' once the service serves mutual TLS (PermissiveServerSocket"
                  + "Factory serves both while it moves)"));
    }
    OutlierDetection outliers = service.outlierDetection();
    if (outliers.enabled()
        && outliers.maxEjectionPercent() >= 100
        && outliers.panicThresholdPercent() <= 0) {
      findings.add(
          LintRule.EJECT_ALL_WITHOUT_PANIC.at(
              DocPath.child(DocPath.child(path, "outlierDetection"), "maxEjectionPercent"),
              "service '"
                  + name
                  + "' may eject every endpoint (maxEjectionPercent 100) and never balances over"
                  + " ejected ones (panicThresholdPercent 0): one bad minute of 5xx can leave no"
                  + " endpoint for "
                  + Durations.format(outliers.baseEjectionTime())
                  + " or more",
              "lower maxEjectionPercent (default 10), or keep a panic threshold (default 50)"));
    }
    List<Route> routes = service.routes().routes();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      String at = DocPath.index(DocPath.child(path, "routes"), i);
      Set<String> unsafe = unsafeMethods(route);
      if (unsafe.isEmpty() || marked(route)) {
        continue;
      }
      String methods = DocPath.child(DocPath.child(at, "match"), "methods");
      Set<RetryOn> afterSend = new TreeSet<>(retries.retryOn());
      afterSend.retainAll(MAY_HAVE_BEEN_SENT);
      if (retries.maxAttempts() > 1 && !afterSend.isEmpty()) {
        findings.add(
            LintRule.RETRY_NOT_IDEMPOTENT.at(
                methods,
                "route '"
                    + route.name()
                    + "' of service '"
                    + name
                    + "' matches "
                    + unsafe
                    + ", which may not be repeated: its calls are retried only when nothing was"
                    + " sent, never on "
                    + camel(afterSend)
                    + " as retries.retryOn says",
                "if the server deduplicates, mark the calls idempotent (an "
                    + IDEMPOTENCY_KEY
                    + " header, @Idempotent or CallOptions.idempotent(true)) and match the header"
                    + " in this route; otherwise narrow retryOn to [connectFailure,"
                    + " refusedStream]"));
      }
      if (service.hedgeDelay().isPresent()) {
        findings.add(
            LintRule.HEDGE_NOT_IDEMPOTENT.at(
                methods,
                "route '"
                    + route.name()
                    + "' of service '"
                    + name
                    + "' matches "
                    + unsafe
                    + ": hedging sends a second copy of a call, so these calls are not hedged"
                    + " unless marked idempotent, and then the server sees them twice",
                "give these calls a route without hedging (another service entry), or mark them"
                    + " idempotent only if the server deduplicates by "
                    + IDEMPOTENCY_KEY));
      }
    }
  }

  /** Rule MW105: attempts that cannot all run their per-try timeout within the deadline. */
  private static void timeouts(ServiceConfig service, String path, List<Finding> findings) {
    RetryPolicy retries = service.retries();
    Duration overall = service.timeouts().deadline().orElse(null);
    Duration perTry = service.timeouts().perTry().orElse(null);
    if (overall == null || perTry == null || retries.maxAttempts() < 2) {
      return;
    }
    String name = service.name().value();
    String at = DocPath.child(DocPath.child(path, "timeouts"), "perTry");
    if (perTry.compareTo(overall) >= 0) {
      findings.add(
          LintRule.RETRIES_EXCEED_TIMEOUT.at(
              at,
              "service '"
                  + name
                  + "': perTry "
                  + Durations.format(perTry)
                  + " is not shorter than overall "
                  + Durations.format(overall)
                  + ", so an attempt that times out leaves no time for any of the "
                  + (retries.maxAttempts() - 1)
                  + " retries",
              "make timeouts.perTry at most overall / maxAttempts, minus back-off (here "
                  + Durations.format(overall.dividedBy(retries.maxAttempts()))
                  + " or less)"));
      return;
    }
    Duration needed = perTry;
    int fit = 1;
    for (int attempt = 2; attempt <= retries.maxAttempts(); attempt++) {
      Duration next = needed.plus(backoffCeiling(retries, attempt - 1)).plus(perTry);
      if (next.compareTo(overall) > 0) {
        break;
      }
      needed = next;
      fit = attempt;
    }
    if (fit == retries.maxAttempts()) {
      return;
    }
    Duration total = perTry.multipliedBy(retries.maxAttempts());
    Duration backoff = Duration.ZERO;
    for (int retry = 1; retry < retries.maxAttempts(); retry++) {
      backoff = backoff.plus(backoffCeiling(retries, retry));
    }
    findings.add(
        LintRule.RETRIES_EXCEED_TIMEOUT.at(
            at,
            "service '"
                + name
                + "': "
                + retries.maxAttempts()
                + " attempts x perTry "
                + Durations.format(perTry)
                + " + back-off up to "
                + Durations.format(backoff)
                + " = "
                + Durations.format(total.plus(backoff))
                + " exceeds overall "
                + Durations.format(overall)
                + ": after timeouts only "
                + fit
                + (fit == 1 ? " attempt fits, so no retry can follow a timeout" : " attempts fit"),
            "lower timeouts.perTry or retries.maxAttempts, or raise timeouts.overall"));
  }

  /** The longest back-off before retry {@code retry} (1 for the first), as the retry stage caps. */
  static Duration backoffCeiling(RetryPolicy retries, int retry) {
    Duration ceiling = retries.backoffBase();
    for (int i = 1; i < retry && ceiling.compareTo(retries.backoffMax()) < 0; i++) {
      ceiling = ceiling.multipliedBy(2);
    }
    return ceiling.compareTo(retries.backoffMax()) > 0 ? retries.backoffMax() : ceiling;
  }

  /** The methods {@code route} matches that the mesh does not treat as idempotent, sorted. */
  static Set<String> unsafeMethods(Route route) {
    Set<String> unsafe = new TreeSet<>(route.methods());
    unsafe.removeAll(IDEMPOTENT_METHODS);
    return unsafe;
  }

  /** Whether every call the route matches carries an {@value #IDEMPOTENCY_KEY} header. */
  static boolean marked(Route route) {
    for (HeaderMatch header : route.headers()) {
      if (header.name().equalsIgnoreCase(IDEMPOTENCY_KEY)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> camel(Set<RetryOn> kinds) {
    List<String> names = new ArrayList<>();
    for (RetryOn kind : kinds) {
      StringBuilder name = new StringBuilder();
      boolean upper = false;
      for (char c : kind.name().toLowerCase(Locale.ROOT).toCharArray()) {
        if (c == '_') {
          upper = true;
        } else {
          name.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      names.add(name.toString());
    }
    return names;
  }
}
