package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Failures a route injects on purpose, for chaos rehearsals: a delay before the call proceeds
 * and/or an abort that ends it without reaching a backend, each for a percentage of calls, and
 * optionally only for calls carrying a trigger header. Off unless a route sets one. The delay comes
 * first; an aborted call never reaches the retry loop, so it is not retried (as with Envoy's fault
 * filter).
 *
 * <pre>{@code
 * Fault.builder().delay(Duration.ofMillis(200), 10).abortStatus(503, 5).onlyWithHeader("x-chaos").build()
 * }</pre>
 *
 * @param delay how long delayed calls wait; empty for no delay
 * @param delayPercent share of calls delayed, 0..100
 * @param abortStatus the HTTP status aborted calls answer with, or 0 for none
 * @param abortConnection whether aborted calls fail with an I/O error instead of a status
 * @param abortPercent share of calls aborted, 0..100
 * @param triggerHeader when present, only calls carrying this header are eligible
 */
public record Fault(
    Optional<Duration> delay,
    double delayPercent,
    int abortStatus,
    boolean abortConnection,
    double abortPercent,
    Optional<String> triggerHeader) {

  public Fault {
    Objects.requireNonNull(delay, "delay (Optional.empty() for none)");
    Objects.requireNonNull(triggerHeader, "triggerHeader (Optional.empty() for every call)");
    Validate.percent("fault delay percent", delayPercent);
    Validate.percent("fault abort percent", abortPercent);
    delay.ifPresent(value -> Validate.positive("fault delay", value));
    if (abortStatus != 0 && (abortStatus < 200 || abortStatus > 599)) {
      throw new MeshConfigException(
          "fault abort status", abortStatus, "an HTTP status in 200..599");
    }
    if (abortStatus != 0 && abortConnection) {
      throw new MeshConfigException(
          "fault abort",
          "status " + abortStatus + " and connection error",
          "one kind of abort, a status or a connection error");
    }
    if (delay.isEmpty() && abortStatus == 0 && !abortConnection) {
      throw new MeshConfigException("fault", "no delay and no abort", "a delay, an abort, or both");
    }
    if (triggerHeader.isPresent() && triggerHeader.get().isBlank()) {
      throw new MeshConfigException("fault trigger header", triggerHeader.get(), "a header name");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether calls are aborted at all. */
  public boolean aborts() {
    return abortStatus != 0 || abortConnection;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Fault{");
    delay.ifPresent(
        d ->
            text.append("delay ")
                .append(d.toMillis())
                .append(" ms for ")
                .append(delayPercent)
                .append('%'));
    if (aborts()) {
      text.append(delay.isPresent() ? ", " : "")
          .append("abort ")
          .append(abortConnection ? "connection" : "status " + abortStatus)
          .append(" for ")
          .append(abortPercent)
          .append('%');
    }
    triggerHeader.ifPresent(header -> text.append(", only with header ").append(header));
    return text.append('}').toString();
  }

  /** Collects a fault; {@link #build()} validates it. */
  public static final class Builder {
    private Duration delay;
    private double delayPercent;
    private int abortStatus;
    private boolean abortConnection;
    private double abortPercent;
    private String triggerHeader;

    private Builder() {}

    /** Delays {@code percent} of calls by {@code delay}. */
    public Builder delay(Duration delay, double percent) {
      this.delay = Objects.requireNonNull(delay, "delay");
      this.delayPercent = percent;
      return this;
    }

    /** Answers {@code percent} of calls with {@code status} without reaching a backend. */
    public Builder abortStatus(int status, double percent) {
      this.abortStatus = status;
      this.abortPercent = percent;
      return this;
    }

    /** Fails {@code percent} of calls with an I/O error, as if the connection broke. */
    public Builder abortConnection(double percent) {
      this.abortConnection = true;
      this.abortPercent = percent;
      return this;
    }

    /** Injects only into calls that carry {@code header} (with any value). */
    public Builder onlyWithHeader(String header) {
      this.triggerHeader = Objects.requireNonNull(header, "header");
      return this;
    }

    public Fault build() {
      return new Fault(
          Optional.ofNullable(delay),
          delayPercent,
          abortStatus,
          abortConnection,
          abortPercent,
          Optional.ofNullable(triggerHeader));
    }
  }
}
