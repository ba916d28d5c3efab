package dev.meshwork.core.policy;

import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's time bounds. {@code connect} bounds opening a connection (default 5 s, Envoy's);
 * {@code perTry} bounds each attempt's waits; {@code deadline} bounds the whole logical call,
 * retries and back-off included. Per-try and deadline have no default: a good value depends on the
 * service, so it is set explicitly, as Envoy's route timeout is. The remaining deadline always
 * bounds each attempt and each back-off. A per-try (or connect) timeout counts against the endpoint
 * for outlier detection and the breaker; an attempt the deadline cut short does not. With {@code
 * propagateDeadline} the remaining time is sent downstream in the {@value #DEADLINE_HEADER} header
 * (milliseconds), for the callee to honour through {@link dev.meshwork.core.MeshDeadline}.
 *
 * @param connect connect timeout, positive
 * @param perTry per-attempt timeout, positive; empty for none
 * @param deadline overall timeout of a logical call, positive; empty for none
 * @param propagateDeadline whether attempts carry the remaining deadline downstream
 */
public record Timeouts(
    Duration connect,
    Optional<Duration> perTry,
    Optional<Duration> deadline,
    boolean propagateDeadline) {

  /** The header the remaining deadline travels in, as whole milliseconds. */
  public static final String DEADLINE_HEADER = "x-mesh-timeout-ms";

  private static final Timeouts DEFAULTS =
      new Timeouts(Duration.ofSeconds(5), Optional.empty(), Optional.empty(), false);

  /**
   * @throws dev.meshwork.core.exception.MeshConfigException naming a zero or negative timeout
   */
  public Timeouts {
    Validate.positive("connectTimeout", connect);
    Objects.requireNonNull(perTry, "perTry (Optional.empty() for none)");
    Objects.requireNonNull(deadline, "deadline (Optional.empty() for none)");
    perTry.ifPresent(value -> Validate.positive("perTryTimeout", value));
    deadline.ifPresent(value -> Validate.positive("timeout", value));
  }

  /** Connect 5 s, no per-try timeout, no deadline, no propagation. */
  public static Timeouts defaults() {
    return DEFAULTS;
  }

  @Override
  public String toString() {
    return "Timeouts{connect="
        + connect.toMillis()
        + " ms, perTry="
        + perTry.map(d -> d.toMillis() + " ms").orElse("none")
        + ", deadline="
        + deadline.map(d -> d.toMillis() + " ms").orElse("none")
        + ", propagate="
        + propagateDeadline
        + "}";
  }
}
