package dev.meshwork.xds.internal;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryBackOff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Envoy's route retry policy in the core's {@link RetryPolicy} terms. */
final class RetryDecoder {
  private static final Set<String> GRPC_CONDITIONS =
      Set.of("cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

  /** A decoded policy and the per-try timeout, which the core keeps in the service's timeouts. */
  record RetrySpec(RetryPolicy policy, Optional<Duration> perTryTimeout) {
    /** Text that is equal for equal policies. */
    String signature() {
      return policy + " perTry=" + perTryTimeout.map(Duration::toString).orElse("none");
    }
  }

  private static final java.util.regex.Pattern COMMA = java.util.regex.Pattern.compile(",");

  private RetryDecoder() {}

  static RetrySpec decode(io.envoyproxy.envoy.config.route.v3.RetryPolicy retry, Fields fields) {
    fields.use("retry_on", "num_retries", "retriable_status_codes", "per_try_timeout");
    Set<RetryOn> on = EnumSet.noneOf(RetryOn.class);
    Set<Integer> statuses = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (String condition : COMMA.split(retry.getRetryOn(), -1)) {
      switch (condition.strip()) {
        case "" -> {}
        case "5xx" -> {
          on.addAll(
              EnumSet.of(
                  RetryOn.CONNECT_FAILURE,
                  RetryOn.RESET,
                  RetryOn.TIMEOUT,
                  RetryOn.REFUSED_STREAM,
                  RetryOn.RETRIABLE_STATUS));
          for (int status = 500; status < 600; status++) {
            statuses.add(status);
          }
        }
        case "gateway-error" -> {
          on.addAll(
              EnumSet.of(
                  RetryOn.CONNECT_FAILURE,
                  RetryOn.RESET,
                  RetryOn.TIMEOUT,
                  RetryOn.RETRIABLE_STATUS));
          statuses.addAll(List.of(502, 503, 504));
        }
        case "reset" -> on.add(RetryOn.RESET);
        case "connect-failure" -> on.add(RetryOn.CONNECT_FAILURE);
        case "refused-stream" -> on.add(RetryOn.REFUSED_STREAM);
        case "retriable-4xx" -> {
          on.add(RetryOn.RETRIABLE_STATUS);
          statuses.add(409);
        }
        case "retriable-status-codes" -> {
          on.add(RetryOn.RETRIABLE_STATUS);
          statuses.addAll(retry.getRetriableStatusCodesList());
        }
        default -> unknown.add(condition.strip());
      }
    }
    for (String condition : unknown) {
      fields.note(
          "retry_on",
          condition,
          GRPC_CONDITIONS.contains(condition)
              ? "gRPC status conditions do not apply to HTTP calls"
              : "this retry condition is not supported");
    }
    int retries = retry.hasNumRetries() ? Math.min(retry.getNumRetries().getValue(), 100) : 1;
    Optional<Duration> perTry =
        retry.hasPerTryTimeout() && !Matchers.duration(retry.getPerTryTimeout()).isZero()
            ? Optional.of(Matchers.duration(retry.getPerTryTimeout()))
            : Optional.empty();
    RetryPolicy.Builder builder = RetryPolicy.builder();
    if (on.isEmpty() || retries == 0) {
      builder.maxAttempts(1);
    } else {
      RetryOn first = on.iterator().next();
      builder
          .maxAttempts(retries + 1)
          .retryOn(first, on.stream().skip(1).toArray(RetryOn[]::new))
          .retriableStatuses(statuses.stream().mapToInt(Integer::intValue).toArray());
    }
    if (retry.hasRetryBackOff()) {
      fields.child("retry_back_off").use("base_interval", "max_interval");
      RetryBackOff backOff = retry.getRetryBackOff();
      Duration base = Matchers.duration(backOff.getBaseInterval());
      Duration max =
          backOff.hasMaxInterval()
              ? Matchers.duration(backOff.getMaxInterval())
              : base.multipliedBy(10);
      builder.backoff(base, max);
    }
    for (int i = 0; i < retry.getRetryHostPredicateCount(); i++) {
      if (retry
          .getRetryHostPredicate(i)
          .getName()
          .equals("envoy.retry_host_predicates.previous_hosts")) {
        // Meshwork always prefers endpoints the call has not tried.
        fields.child("retry_host_predicate", i).use("name", "typed_config");
        fields.use("host_selection_retry_max_attempts");
      }
    }
    try {
      return new RetrySpec(builder.build(), perTry);
    } catch (MeshConfigException e) {
      throw new XdsRejection(fields.path(), e.getMessage());
    }
  }
}
