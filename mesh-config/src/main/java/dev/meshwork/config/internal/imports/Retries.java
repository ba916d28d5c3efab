package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.meshwork.config.internal.Fields;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Retry policies of the imported formats as Meshwork's: the number of attempts, what is retried
 * (Envoy's {@code retryOn} conditions mapped onto Meshwork's kinds) and the back-off.
 */
final class Retries {
  /** Istio's conditions when a VirtualService's retries name none. */
  private static final String ISTIO_DEFAULT =
      "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

  private static final Set<String> GRPC =
      Set.of("cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

  private Retries() {}

  /**
   * A service's retries ({@code retries} section) and its per-try timeout ({@code timeouts.perTry},
   * null when unset).
   */
  record Policy(ObjectNode retries, TextNode perTry) {}

  static Policy istio(Node node) {
    Long attempts = node.integer("attempts", 0, 99);
    Duration perTry = node.duration("perTryTimeout");
    String written = node.text("retryOn");
    Duration backoff = node.duration("backoff");
    node.unsupported(
        "retryRemoteLocalities", "Meshwork does not prefer other localities for retries", false);
    Boolean otherHosts = node.bool("retryIgnorePreviousHosts");
    if (Boolean.FALSE.equals(otherHosts)) {
      node.report.unsupported(
          node.manifest,
          node.at("retryIgnorePreviousHosts"),
          node.node.get("retryIgnorePreviousHosts"),
          "Meshwork always retries on an endpoint not tried in the call when there is one",
          false);
    }
    Set<String> on = new LinkedHashSet<>();
    Set<Integer> statuses = new TreeSet<>();
    for (String condition : (written == null ? ISTIO_DEFAULT : written).split(",")) {
      String token = condition.strip();
      if (token.isEmpty()) {
        continue;
      }
      if (!condition(token, on, statuses) && written != null) {
        boolean known = GRPC.contains(token) || OTHER.contains(token);
        node.report.unsupported(
            node.manifest,
            node.at("retryOn"),
            TextNode.valueOf(token),
            known
                ? "Meshwork retries on HTTP outcomes and connection failures, not on this condition"
                : "a retry condition Envoy knows (" + token + " is not one)",
            !known);
      }
    }
    if (on.contains("retriableStatus") && statuses.isEmpty()) {
      statuses.add(503);
    }
    ObjectNode retries = Fields.newObject();
    int max = attempts == null ? 1 : (int) (long) attempts + 1;
    retries.put("maxAttempts", on.isEmpty() ? 1 : max);
    if (!on.isEmpty() && max > 1) {
      retries.set("retryOn", Fields.array(on));
      ArrayNode codes = retries.putArray("retriableStatuses");
      statuses.forEach(codes::add);
    }
    backoff(retries, backoff);
    node.finish();
    return new Policy(
        retries,
        perTry == null || perTry.isZero() ? null : TextNode.valueOf(Context.duration(perTry)));
  }

  /** Gateway API {@code HTTPRouteRetry}: connection failures and the listed status codes. */
  static Policy gateway(Node node) {
    Long attempts = node.integer("attempts", 0, 99);
    ArrayNode codes = Context.array();
    com.fasterxml.jackson.databind.JsonNode written = node.raw("codes");
    if (written != null) {
      for (int i = 0; written.isArray() && i < written.size(); i++) {
        if (!written.get(i).isInt()
            || written.get(i).asInt() < 400
            || written.get(i).asInt() > 599) {
          node.report.error(
              node.manifest, node.at("codes") + "[" + i + "]", written.get(i), "a status 400..599");
        } else {
          codes.add(written.get(i).asInt());
        }
      }
    }
    Duration backoff = node.duration("backoff");
    node.finish();
    ObjectNode retries = Fields.newObject();
    int max = attempts == null ? 2 : (int) (long) attempts + 1;
    retries.put("maxAttempts", max);
    if (max > 1) {
      ArrayNode on = retries.putArray("retryOn").add("connectFailure").add("refusedStream");
      if (!codes.isEmpty()) {
        on.add("retriableStatus");
        retries.set("retriableStatuses", codes);
      }
    }
    backoff(retries, backoff);
    return new Policy(retries, null);
  }

  private static final Set<String> OTHER =
      Set.of(
          "retriable-headers",
          "envoy-ratelimited",
          "reset-before-request",
          "http3-post-connect-failure");

  /** Adds what one Envoy condition retries; false when Meshwork has no such condition. */
  private static boolean condition(String token, Set<String> on, Set<Integer> statuses) {
    switch (token) {
      case "connect-failure" -> on.add("connectFailure");
      case "refused-stream" -> on.add("refusedStream");
      case "reset" -> on.add("reset");
      case "gateway-error" -> {
        on.add("retriableStatus");
        statuses.addAll(List.of(502, 503, 504));
      }
      case "5xx" -> {
        on.addAll(
            List.of("connectFailure", "refusedStream", "reset", "timeout", "retriableStatus"));
        for (int status = 500; status <= 599; status++) {
          statuses.add(status);
        }
      }
      case "retriable-4xx" -> {
        on.add("retriableStatus");
        statuses.add(409);
      }
      case "retriable-status-codes" -> on.add("retriableStatus");
      default -> {
        if (token.matches("[1-5][0-9][0-9]")) {
          on.add("retriableStatus");
          statuses.add(Integer.parseInt(token));
          return true;
        }
        return false;
      }
    }
    return true;
  }

  /** Envoy's back-off: the base, capped at ten times the base. */
  private static void backoff(ObjectNode retries, Duration base) {
    if (base != null && !base.isZero()) {
      ObjectNode backoff = retries.putObject("backoff");
      backoff.put("base", Context.duration(base));
      backoff.put("max", Context.duration(base.multipliedBy(10)));
    }
  }
}
