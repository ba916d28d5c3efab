package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.internal.endpoint.EndpointStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one endpoint, held by its {@code EndpointStats} so they are found without a
 * registry lookup and survive discovery updates. Timers are cached by method, then template, then
 * outcome: after the first call of a kind, recording is two map reads of existing keys and an array
 * read, with no allocation.
 */
public final class EndpointMeters implements EndpointStats.Meters {
  private final String tag;
  private final Counter ejections;
  private final Function<Tags, Timer> newTimer;
  private final Tags tags;
  private final Map<String, Map<String, Timer[]>> timers = new ConcurrentHashMap<>();

  /**
   * @param tag this endpoint's {@code mesh.endpoint} value: its address, or {@code other} past the
   *     cap
   * @param tags the service's and endpoint's tags
   * @param newTimer registers a duration timer with the given full tags
   */
  EndpointMeters(String tag, Tags tags, Counter ejections, Function<Tags, Timer> newTimer) {
    this.tag = tag;
    this.tags = tags;
    this.ejections = ejections;
    this.newTimer = newTimer;
  }

  /** The {@code mesh.endpoint} tag value. */
  public String tag() {
    return tag;
  }

  Counter ejections() {
    return ejections;
  }

  /**
   * The duration timer for {@code method} (already normalised), {@code template} and {@code
   * outcome}.
   */
  @SuppressWarnings("EnumOrdinal") // an array by outcome: no allocation per attempt
  Timer timer(String method, String template, Outcome outcome) {
    Map<String, Timer[]> byTemplate = timers.get(method);
    if (byTemplate == null) {
      byTemplate = timers.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
    }
    Timer[] byOutcome = byTemplate.get(template);
    if (byOutcome == null) {
      byOutcome = byTemplate.computeIfAbsent(template, t -> new Timer[Outcome.COUNT]);
    }
    Timer timer = byOutcome[outcome.ordinal()];
    if (timer == null) {
      // A race registers the same id twice; the registry hands back the same timer both times.
      timer =
          newTimer.apply(
              tags.and(
                  "http.request.method",
                  method,
                  "url.template",
                  template,
                  "outcome",
                  outcome.name()));
      byOutcome[outcome.ordinal()] = timer;
    }
    return timer;
  }

  /**
   * The {@code outcome} tag: Micrometer's HTTP outcome names, {@code IO_ERROR} when there was no
   * response, and {@code CANCELLED} for an attempt stopped without a verdict on its endpoint (a
   * hedged race's loser, a call the caller cancelled, an attempt its call's deadline cut short).
   */
  enum Outcome {
    INFORMATIONAL,
    SUCCESS,
    REDIRECTION,
    CLIENT_ERROR,
    SERVER_ERROR,
    UNKNOWN,
    IO_ERROR,
    CANCELLED;

    static final int COUNT = values().length;

    /** The outcome of an answer with {@code status}, or of none when {@code status} is negative. */
    static Outcome of(int status) {
      if (status < 0) {
        return IO_ERROR;
      }
      return switch (status / 100) {
        case 1 -> INFORMATIONAL;
        case 2 -> SUCCESS;
        case 3 -> REDIRECTION;
        case 4 -> CLIENT_ERROR;
        case 5 -> SERVER_ERROR;
        default -> UNKNOWN;
      };
    }
  }
}
