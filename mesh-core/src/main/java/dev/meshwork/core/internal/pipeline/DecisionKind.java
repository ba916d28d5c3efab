package dev.meshwork.core.internal.pipeline;

/**
 * The kinds of choice the mesh makes for a call, as reported to traces, metrics and the admin
 * endpoint's recent-decisions buffer.
 */
public enum DecisionKind {
  /** A route matched and a subset was chosen (split, override or default). */
  ROUTE,
  /** A copy of the call was sent to a mirror subset. */
  MIRROR,
  /** An injected delay held the call. */
  FAULT_DELAY,
  /** An injected abort ended the call without reaching a backend. */
  FAULT_ABORT,
  /** The balancer picked an endpoint for an attempt. */
  PICK,
  /** A failed attempt is retried. */
  RETRY,
  /** A retry was refused because the retry budget is spent. */
  BUDGET_REFUSED,
  /** The circuit breaker or a concurrency limit turned the call away. */
  REJECTED,
  /** The outlier detector ejected an endpoint, or returned one. */
  EJECTION
}
