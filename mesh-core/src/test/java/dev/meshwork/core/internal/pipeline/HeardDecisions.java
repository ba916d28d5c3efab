package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;

/**
 * A listener of every call of a service that hands each decision to a test, as the mesh's decision
 * log hears them: every kind, sampled or not.
 */
public final class HeardDecisions extends CallListener implements CallListener.Factory {

  /** What the test does with a decision. */
  @FunctionalInterface
  public interface Hearing {
    void decision(DecisionKind kind, Endpoint endpoint, String detail);
  }

  private final Hearing hearing;

  private HeardDecisions(Hearing hearing) {
    this.hearing = hearing;
  }

  /** A listener handing every decision to {@code hearing}. */
  public static HeardDecisions of(Hearing hearing) {
    return new HeardDecisions(hearing);
  }

  @Override
  public CallListener newCall(CallContext call) {
    return this;
  }

  @Override
  public boolean records(CallContext call, DecisionKind kind) {
    return true;
  }

  @Override
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
    hearing.decision(kind, endpoint, detail);
  }
}
