package dev.meshwork.test.internal;

/**
 * One validated step of a fake endpoint's script: what the endpoint does, and for how long.
 *
 * @param number the step's place in its script, from 1
 * @param text the step as it was written, for messages
 * @param kind what the endpoint does with a call
 * @param status the answer's status ({@link Kind#RESPOND})
 * @param body the answer's body ({@link Kind#RESPOND}); {@code null} for the endpoint's default
 * @param delayNanos virtual time the answer takes
 * @param holdNanos real time the endpoint holds the call before answering
 * @param slowBytes a body of this many bytes, dribbled ({@link Kind#RESPOND}); 0 for none
 * @param bytesPerSecond the rate of a slow body
 * @param calls how many calls the step lasts; 0 when it is bounded by time or has no end
 * @param lengthNanos how much virtual time the step lasts; 0 when it counts calls or has no end
 */
public record Step(
    int number,
    String text,
    Kind kind,
    int status,
    String body,
    long delayNanos,
    long holdNanos,
    int slowBytes,
    int bytesPerSecond,
    int calls,
    long lengthNanos) {

  /** What the endpoint does in a step. */
  public enum Kind {
    /** Answers (possibly late, possibly slowly). */
    RESPOND,
    /** Resets the connection instead of answering. */
    RESET,
    /** Closes the connection without sending a byte. */
    EMPTY_REPLY,
    /** Refuses connections: nothing listens on the endpoint's port. */
    REFUSE,
    /** Presents a certificate with another SPIFFE identity. */
    WRONG_IDENTITY
  }

  /** The endpoint answering 200 with its default body, for ever: what an unscripted one does. */
  public static Step healthy() {
    return new Step(0, "healthy()", Kind.RESPOND, 200, null, 0, 0, 0, 0, 0, 0);
  }

  /** Whether the step lasts for ever. */
  public boolean endless() {
    return calls == 0 && lengthNanos == 0;
  }

  /** Whether the step acts on connections rather than on calls. */
  public boolean onConnections() {
    return kind == Kind.REFUSE || kind == Kind.WRONG_IDENTITY;
  }

  @Override
  public String toString() {
    return "step " + number + " (" + text + ")";
  }
}
