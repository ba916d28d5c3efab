package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import java.util.ArrayList;
import java.util.List;

/**
 * Hears what the pipeline does with one call, in the style of OkHttp's {@code EventListener}: the
 * service's {@link Factory} makes one per call, so an implementation (traces and metrics, the
 * mesh's decision log) keeps what it needs about the call in its own fields. Every method does
 * nothing by default. Implementations must not throw and must be cheap. Hedged attempts of a call
 * run at once on other threads, so the methods about attempts may be called concurrently.
 *
 * <p>Events of one call come in this order: {@link #callStart}; the call's decisions (route, fault,
 * mirror, retry, ...); per attempt its decisions (admission, pick), {@link #attemptStart} once it
 * has an endpoint, {@link #ejected} when its outcome ejected that endpoint, {@link #attemptEnd};
 * then {@link #callEnd} or {@link #callFailed}.
 *
 * <p>A decision's {@code detail} starts with a short, low-cardinality reason ({@code status_503},
 * {@code connect_failure}, {@code circuit_open}, ...), optionally followed by {@code ": "} and
 * words for people; metrics use the reason as a tag. The pipeline builds it only when {@link
 * #records} says this listener wants it.
 */
public abstract class CallListener {

  /** Hears nothing. */
  public static final CallListener NONE = new CallListener() {};

  /**
   * Makes the listener of each call of a service, and hears what happens to its endpoints outside
   * any call (the outlier detector's periodic sweep).
   */
  public interface Factory {
    /** Listens to no call. */
    Factory NONE = call -> CallListener.NONE;

    /** The listener of {@code call}, which is starting; {@link CallListener#NONE} for none. */
    CallListener newCall(CallContext call);

    /**
     * A sweep of the outlier detector ejected {@code endpoint} of {@code service}, saying {@code
     * why}.
     */
    default void ejected(ServiceName service, EndpointState endpoint, String why) {}

    /** {@code endpoint} of {@code service} is balanced again after its ejection. */
    default void returned(ServiceName service, EndpointState endpoint) {}

    /** {@code first}, then {@code second}; {@link #NONE} is dropped. */
    static Factory compose(Factory first, Factory second) {
      List<Factory> parts = new ArrayList<>();
      for (Factory part : List.of(first, second)) {
        if (part instanceof CompositeListener.Factories composite) {
          parts.addAll(composite.parts());
        } else if (part != NONE) {
          parts.add(part);
        }
      }
      return parts.isEmpty()
          ? NONE
          : parts.size() == 1 ? parts.get(0) : new CompositeListener.Factories(parts);
    }
  }

  /** The call begins, on the calling thread. */
  public void callStart(CallContext call) {}

  /**
   * Whether {@link #decision(CallContext, DecisionKind, Endpoint, String)} wants a decision of
   * {@code kind} about {@code call}; when not, the pipeline skips building the detail.
   */
  public boolean records(CallContext call, DecisionKind kind) {
    return false;
  }

  /**
   * A decision of {@code kind} about {@code call} (route, fault, mirror, retry, budget refusal).
   * {@code endpoint} is the endpoint of the attempt it is about (failed, answered), or {@code
   * null}; it comes from that attempt, never from the call, whose latest pick may be another,
   * concurrent attempt's under hedging.
   */
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {}

  /**
   * Whether {@link #decision(AttemptState, DecisionKind, String)} wants a decision of {@code kind}
   * made inside {@code attempt}. By default, the answer for the attempt's call.
   */
  public boolean records(AttemptState attempt, DecisionKind kind) {
    return records(attempt.call(), kind);
  }

  /**
   * A decision of {@code kind} made inside {@code attempt} (its admission, its pick), about the
   * attempt's endpoint if it has one yet. By default, a decision of the attempt's call.
   */
  public void decision(AttemptState attempt, DecisionKind kind, String detail) {
    EndpointState picked = attempt.endpoint();
    decision(attempt.call(), kind, picked == null ? null : picked.endpoint(), detail);
  }

  /**
   * {@code attempt} has its endpoint and is about to be sent, on the thread that will send it; its
   * headers may still be set. {@link #attemptEnd} follows on the same thread.
   */
  public void attemptStart(AttemptState attempt) {}

  /**
   * The outcome of {@code attempt} ejected {@code endpoint} (its own), for the reason {@code why};
   * the candidates no longer hold it.
   */
  public void ejected(AttemptState attempt, EndpointState endpoint, String why) {}

  /**
   * {@code attempt} ended with an answer with {@code status}, or without one ({@code status}
   * negative) because of {@code failure}.
   */
  public void attemptEnd(AttemptState attempt, int status, Throwable failure) {}

  /** {@code call} returned an answer. */
  public void callEnd(CallContext call) {}

  /** {@code call} failed with {@code failure}. */
  public void callFailed(CallContext call, Throwable failure) {}

  /** An ejection in a decision's words: {@code ejected: 10.0.0.1:80 for 30000 ms (...): ...}. */
  public static String ejectedDetail(EndpointState endpoint, String why) {
    return "ejected: " + endpoint.address() + " " + why;
  }

  /** A return from ejection in a decision's words. */
  public static String returnedDetail(EndpointState endpoint) {
    return "returned: " + endpoint.address() + " is balanced again after its ejection";
  }
}
