package dev.meshwork.test;

import dev.meshwork.test.internal.Step;
import dev.meshwork.test.internal.Step.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FakeEndpoint} does, as a sequence of steps read left to right: each step says how
 * long it lasts (a number of calls, a span of virtual time, or for ever) and what the endpoint does
 * meanwhile; {@link #then()} starts the next. When the last step ends the endpoint is healthy
 * again.
 *
 * <pre>{@code
 * TestMesh mesh = TestMesh.create(1);
 * FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
 * mathoid.endpoint(1).script(s -> s.first(3).respond(503).then().healthy());
 * mathoid.endpoint(2).script(s -> s.during(Duration.ofSeconds(30)).refuse().then().healthy());
 * mathoid.endpoint(3).script(s -> s.always().delay(Duration.ofMillis(400)));
 * }</pre>
 *
 * <p>Calls are counted as the endpoint receives them; health-check probes see the current step but
 * do not count. A step without a length lasts for ever. {@link #delay} is virtual time: the mesh
 * measures the latency, nobody waits. {@link #hold} and {@link #slowBody} are real time, for
 * timeouts. A script that makes no sense (a negative delay, a reset after the body, a refusal
 * counted in calls, a step after one that never ends) is refused when it is built, naming the step.
 */
public final class FaultScript {
  private final List<Draft> steps = new ArrayList<>();
  private Draft current;

  FaultScript() {}

  /** Starts a step lasting the next {@code calls} calls. */
  public FaultScript first(int calls) {
    Draft step = length("first(" + calls + ")");
    if (calls < 1) {
      throw refused(step, "first(" + calls + "): a step lasts at least one call");
    }
    step.calls = calls;
    return this;
  }

  /** The same as {@link #first}: reads better after {@link #then()}. */
  public FaultScript next(int calls) {
    return first(calls);
  }

  /** Starts a step lasting {@code length} of virtual time from when it begins. */
  public FaultScript during(Duration length) {
    Objects.requireNonNull(length, "length");
    Draft step = length("during(" + length + ")");
    if (length.isZero() || length.isNegative()) {
      throw refused(step, "during(" + length + "): a step lasts a positive time");
    }
    step.lengthNanos = length.toNanos();
    return this;
  }

  /** Starts a step that never ends; a step with no length says the same. */
  public FaultScript always() {
    length("always()");
    return this;
  }

  /** Answers {@code status}, with a body naming the endpoint and the status. */
  public FaultScript respond(int status) {
    return respond(status, null, "respond(" + status + ")");
  }

  /** Answers {@code status} with {@code body}. */
  public FaultScript respond(int status, String body) {
    return respond(
        status, Objects.requireNonNull(body, "body"), "respond(" + status + ", \"" + body + "\")");
  }

  private FaultScript respond(int status, String body, String text) {
    Draft step = outcome(text, Kind.RESPOND);
    if (status < 200 || status > 599) {
      throw refused(step, text + ": " + status + " is not a final HTTP status (200-599)");
    }
    step.status = status;
    step.body = body;
    return this;
  }

  /** Answers 200 with the endpoint's name as the body, as an unscripted endpoint does. */
  public FaultScript healthy() {
    outcome("healthy()", Kind.RESPOND).status = 200;
    return this;
  }

  /**
   * Answers after {@code delay} of virtual time: the clock moves while the endpoint answers, so the
   * mesh measures the latency (balancers, the breaker) and nobody waits. Combines with what the
   * step answers; alone, the step answers as {@link #healthy()} does.
   */
  public FaultScript delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    Draft step = step("delay(" + delay + ")");
    if (delay.isNegative()) {
      throw refused(step, "delay(" + delay + ") is negative; a delay is zero or more");
    }
    step.delayNanos = delay.toNanos();
    return this;
  }

  /**
   * Holds each call for {@code time} of real time before answering, so a timeout the transport
   * enforces (per-try, read) fires when it is shorter. A long hold ends when the endpoint is
   * scripted again or closed.
   */
  public FaultScript hold(Duration time) {
    Objects.requireNonNull(time, "time");
    Draft step = step("hold(" + time + ")");
    if (time.isNegative() || time.isZero()) {
      throw refused(step, "hold(" + time + "): a hold is a positive time");
    }
    step.holdNanos = time.toNanos();
    return this;
  }

  /** Resets the connection instead of answering. */
  public FaultScript reset() {
    if (current != null && current.kind == Kind.RESPOND) {
      String answer = current.outcomeText;
      throw refused(
          step("reset()"),
          "reset() after "
              + answer
              + ": a reset after the body; the endpoint either answers or resets, use reset()"
              + " alone");
    }
    outcome("reset()", Kind.RESET);
    return this;
  }

  /** Closes the connection without sending a byte. */
  public FaultScript emptyReply() {
    outcome("emptyReply()", Kind.EMPTY_REPLY);
    return this;
  }

  /**
   * Answers 200 with a body of {@code bytes} bytes sent at {@code bytesPerSecond} bytes per second
   * of real time, for read timeouts and streaming code.
   */
  public FaultScript slowBody(int bytes, int bytesPerSecond) {
    String text = "slowBody(" + bytes + ", " + bytesPerSecond + ")";
    Draft step = outcome(text, Kind.RESPOND);
    if (bytes < 1 || bytesPerSecond < 1) {
      throw refused(step, text + ": a slow body has at least one byte and one byte per second");
    }
    step.status = 200;
    step.slowBytes = bytes;
    step.bytesPerSecond = bytesPerSecond;
    return this;
  }

  /**
   * Refuses connections: nothing listens on the endpoint's port, as when the instance is down. A
   * refused connection never reaches the endpoint, so the step is bounded by {@link #during} or
   * lasts for ever, never by a count of calls.
   */
  public FaultScript refuse() {
    outcome("refuse()", Kind.REFUSE);
    return this;
  }

  /**
   * Presents a certificate for another SPIFFE identity ({@code .../sa/<service>-impostor}) from the
   * same CA, so the mesh's peer verification must refuse the endpoint. Only for a service that
   * serves TLS; bounded by time or for ever, as a failed handshake is no call.
   */
  public FaultScript wrongIdentity() {
    outcome("wrongIdentity()", Kind.WRONG_IDENTITY);
    return this;
  }

  /** Ends the current step; what follows starts the next. */
  public FaultScript then() {
    if (current == null) {
      throw new IllegalArgumentException(
          "step " + (steps.size() + 1) + ": then() with nothing before it");
    }
    current = null;
    return this;
  }

  /** The validated steps; {@code where} names the endpoint for messages. */
  List<Step> build(String where, boolean tls) {
    List<Step> built = new ArrayList<>();
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(where + ": the script has no step");
    }
    for (Draft step : steps) {
      String prefix = where + " step " + step.number + " (" + step.text + ")";
      Draft previous = step.number > 1 ? steps.get(step.number - 2) : null;
      if (previous != null && previous.endless()) {
        throw new IllegalArgumentException(
            prefix
                + " never starts: step "
                + previous.number
                + " ("
                + previous.text
                + ") has no end; give it a length with first(n) or during(...)");
      }
      Kind kind = step.kind;
      if (kind == null) {
        if (step.delayNanos == 0 && step.holdNanos == 0) {
          throw new IllegalArgumentException(
              prefix
                  + " says how long but not what the endpoint does: add respond(...),"
                  + " healthy(), delay(...), reset(), refuse(), ...");
        }
        kind = Kind.RESPOND;
        step.status = 200;
      }
      if (kind == Kind.REFUSE || kind == Kind.WRONG_IDENTITY) {
        String what = kind == Kind.REFUSE ? "refuse()" : "wrongIdentity()";
        String never =
            kind == Kind.REFUSE
                ? "a refused connection never reaches the endpoint"
                : "a failed handshake never becomes a call";
        if (step.calls > 0) {
          throw new IllegalArgumentException(
              prefix
                  + ": "
                  + what
                  + " cannot be counted in calls ("
                  + never
                  + "); bound it with during(...) or let it last");
        }
        if (previous != null && previous.calls > 0) {
          throw new IllegalArgumentException(
              prefix
                  + ": "
                  + what
                  + " cannot follow step "
                  + previous.number
                  + " ("
                  + previous.text
                  + "), which ends on a call: the endpoint would change its"
                  + " connections in the middle of that call; bound step "
                  + previous.number
                  + " with during(...)");
        }
        if (step.delayNanos > 0 || step.holdNanos > 0) {
          throw new IllegalArgumentException(
              prefix + ": " + what + " with a delay or a hold: no call comes to delay");
        }
        if (kind == Kind.WRONG_IDENTITY && !tls) {
          throw new IllegalArgumentException(
              prefix
                  + ": wrongIdentity() needs a service that serves TLS"
                  + " (FakeService.named(...).tls())");
        }
      }
      built.add(
          new Step(
              step.number,
              step.text,
              kind,
              step.status,
              step.body,
              step.delayNanos,
              step.holdNanos,
              step.slowBytes,
              step.bytesPerSecond,
              step.calls,
              step.lengthNanos));
    }
    return List.copyOf(built);
  }

  /** The current step, or a new one when none is open; {@code text} joins its description. */
  private Draft step(String text) {
    if (current == null) {
      current = new Draft(steps.size() + 1);
      steps.add(current);
    }
    current.text = current.text.isEmpty() ? text : current.text + "." + text;
    return current;
  }

  private Draft length(String text) {
    Draft step = step(text);
    if (step.lengthGiven) {
      throw refused(step, text + " after a length was given: a step has one length");
    }
    if (step.kind != null || step.delayNanos > 0 || step.holdNanos > 0) {
      throw refused(step, text + " after what the step does: say how long first");
    }
    step.lengthGiven = true;
    return step;
  }

  private Draft outcome(String text, Kind kind) {
    Draft step = step(text);
    if (step.kind != null) {
      throw refused(step, "a step does one thing; end this one with then() first");
    }
    step.kind = kind;
    step.outcomeText = text;
    return step;
  }

  private static IllegalArgumentException refused(Draft step, String why) {
    return new IllegalArgumentException("step " + step.number + " (" + step.text + "): " + why);
  }

  /** A step as it is being written. */
  private static final class Draft {
    final int number;
    String text = "";
    boolean lengthGiven;
    Kind kind;
    String outcomeText;
    int status;
    String body;
    long delayNanos;
    long holdNanos;
    int slowBytes;
    int bytesPerSecond;
    int calls;
    long lengthNanos;

    Draft(int number) {
      this.number = number;
    }

    boolean endless() {
      return calls == 0 && lengthNanos == 0;
    }
  }
}
