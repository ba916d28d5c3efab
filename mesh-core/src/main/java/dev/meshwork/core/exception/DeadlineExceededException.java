package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import java.util.List;

/**
 * The logical call ran out of time: its deadline (the service's timeout, a per-call timeout, or a
 * deadline propagated from upstream) passed before an attempt succeeded. When an attempt was cut
 * short, its I/O failure is the {@linkplain #getCause() cause}.
 *
 * <p>The endpoint named is the one the call was waiting on. A hedged call may have been waiting on
 * several at once: then {@link #endpoint()} is {@code null}, and {@link #endpoints()} and the
 * message name every endpoint that had an attempt in flight when the deadline passed.
 */
public final class DeadlineExceededException extends MeshException {
  private static final long serialVersionUID = 1L;

  /** Several endpoints with attempts in flight, or {@code null} when one or none was named. */
  private final transient List<Endpoint> inFlight;

  public DeadlineExceededException(
      ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(service, endpoint, reason, cause);
    this.inFlight = null;
  }

  private DeadlineExceededException(
      ServiceName service, List<Endpoint> inFlight, String reason, Throwable cause) {
    super(
        service,
        null,
        reason + "; hedged attempts were in flight at " + addresses(inFlight),
        cause);
    this.inFlight = inFlight;
  }

  /**
   * The deadline of a hedged call passed while attempts were in flight at each of {@code inFlight}
   * (two or more), as in {@code service 'mathoid': deadline of 300 ms exceeded after 2 attempts;
   * hedged attempts were in flight at 10.0.0.1:80 and 10.0.0.2:80}.
   *
   * @throws IllegalArgumentException when {@code inFlight} names fewer than two endpoints: one is
   *     named through the constructor, as {@link #endpoint()}
   */
  public static DeadlineExceededException inFlightAt(
      ServiceName service, List<Endpoint> inFlight, String reason, Throwable cause) {
    if (inFlight.size() < 2) {
      throw new IllegalArgumentException(
          "inFlight: expected two or more endpoints, got "
              + inFlight.size()
              + " "
              + inFlight
              + "; name a single endpoint with the constructor");
    }
    return new DeadlineExceededException(service, List.copyOf(inFlight), reason, cause);
  }

  /**
   * Every endpoint the call was waiting on when the deadline passed, in attempt order; empty when
   * none was known.
   */
  public List<Endpoint> endpoints() {
    if (inFlight != null) {
      return inFlight;
    }
    Endpoint one = endpoint();
    return one == null ? List.of() : List.of(one);
  }

  private static String addresses(List<Endpoint> endpoints) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < endpoints.size(); i++) {
      text.append(i == 0 ? "" : i == endpoints.size() - 1 ? " and " : ", ")
          .append(endpoints.get(i).address());
    }
    return text.toString();
  }
}
