package dev.meshwork.test;

import dev.meshwork.core.MeshSnapshot.Decision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the mesh decided for one call, in order: the route and subset it took, the endpoints its
 * attempts went to, why each retry happened or was refused, what it ejected. Read from the mesh's
 * decisions ({@link dev.meshwork.core.MeshSnapshot.Decision}), all of which carry the call's
 * number. Its {@link #toString()} is the trace a failed {@link CallAssert} prints:
 *
 * <pre>
 * call 7 to mathoid
 *   PICK           mathoid-2: attempt 0 by least_request among 3
 *   RETRY          status_503: attempt 1 answered 503 from mathoid-2; retrying in 12 ms
 *   PICK           mathoid-1: attempt 1 by least_request among 2
 * </pre>
 *
 * @param number the call's number in the mesh, from 0, in the order calls started
 * @param service the service called
 * @param decisions the call's decisions, oldest first
 * @param names fake instances' names by address, used in place of the addresses
 */
public record CallTrace(
    long number, String service, List<Decision> decisions, Map<String, String> names) {

  private static final Pattern ROUTE =
      Pattern.compile("route (.+) -> (?:subset (.+)|all endpoints)");

  public CallTrace {
    decisions = List.copyOf(decisions);
    names = Map.copyOf(names);
  }

  /** The route the call matched; empty when none did. */
  public Optional<String> route() {
    return routeGroup(1);
  }

  /** The subset the route sent it to; empty for the whole service. */
  public Optional<String> subset() {
    return routeGroup(2);
  }

  private Optional<String> routeGroup(int group) {
    for (Decision decision : of("ROUTE")) {
      Matcher matcher = ROUTE.matcher(decision.detail());
      if (matcher.find()) {
        return Optional.ofNullable(matcher.group(group));
      }
    }
    return Optional.empty();
  }

  /** The endpoints the call's attempts went to, in order, by name ({@code mathoid-2}). */
  public List<String> tried() {
    List<String> tried = new ArrayList<>();
    for (Decision decision : of("PICK")) {
      tried.add(name(reason(decision)));
    }
    return tried;
  }

  /**
   * Why each retry happened, in order: the failure's reason ({@code status_503}, {@code
   * connect_failure}, {@code reset}, {@code timeout}) or {@code hedge} for a backup attempt.
   */
  public List<String> retries() {
    return of("RETRY").stream().map(CallTrace::reason).toList();
  }

  /** Whether the retry budget refused a retry of this call. */
  public boolean budgetRefused() {
    return !of("BUDGET_REFUSED").isEmpty();
  }

  /**
   * Why attempts were turned away before reaching an endpoint ({@code circuit_open}, {@code
   * concurrency_limit}, {@code endpoint_limit}).
   */
  public List<String> rejections() {
    return of("REJECTED").stream().map(CallTrace::reason).toList();
  }

  /** The endpoints this call's outcomes ejected, by name. */
  public List<String> ejected() {
    List<String> ejected = new ArrayList<>();
    for (Decision decision : of("EJECTION")) {
      decision.endpoint().ifPresent(e -> ejected.add(name(e.address())));
    }
    return ejected;
  }

  private List<Decision> of(String kind) {
    return decisions.stream().filter(d -> d.kind().equals(kind)).toList();
  }

  /** The short reason a decision's detail starts with. */
  private static String reason(Decision decision) {
    String detail = decision.detail();
    int colon = detail.indexOf(": ");
    return colon < 0 ? detail : detail.substring(0, colon);
  }

  private String name(String address) {
    return names.getOrDefault(address, address);
  }

  /** {@code text} with every fake instance's address replaced by its name. */
  String named(String text) {
    String named = text;
    List<String> addresses = new ArrayList<>(names.keySet());
    addresses.sort(Comparator.comparingInt(String::length).reversed());
    for (String address : addresses) {
      named =
          named.replaceAll(
              Pattern.quote(address) + "(?!\\d)", Matcher.quoteReplacement(names.get(address)));
    }
    return named;
  }

  /** The trace: one line per decision, kind and detail, instances named. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("call " + number + " to " + service);
    for (Decision decision : decisions) {
      text.append(String.format("%n  %-14s %s", decision.kind(), named(decision.detail())));
    }
    if (decisions.isEmpty()) {
      text.append(" (no decisions)");
    }
    return text.toString();
  }
}
