package dev.meshwork.core.policy;

import dev.meshwork.core.internal.Validate;

/**
 * Bounds on how much one service may have in flight, so a slow dependency cannot take every thread
 * and socket of its caller (Envoy's circuit_breakers thresholds). Defaults: 1024 requests in
 * flight, 1024 pending (waiting for an in-flight slot, each wait bounded by the attempt's timeout,
 * or by the connect timeout when the call has none), 1024 connections per endpoint. Beyond them
 * calls fail at once with {@link dev.meshwork.core.exception.MeshException.ConcurrencyLimited}.
 *
 * <p>Connections per endpoint are counted as attempts in flight on it, which is what an HTTP/1.1
 * pool needs; an HTTP/2 connection carries many of them, so the bound is conservative there.
 */
public record ConcurrencyLimits(int maxRequests, int maxPending, int maxConnectionsPerEndpoint) {

  private static final ConcurrencyLimits DEFAULTS = new ConcurrencyLimits(1024, 1024, 1024);

  /**
   * @throws dev.meshwork.core.exception.MeshConfigException when a limit is below its minimum
   */
  public ConcurrencyLimits {
    Validate.atLeast("limits maxRequests", maxRequests, 1);
    Validate.atLeast("limits maxPending", maxPending, 0);
    Validate.atLeast("limits maxConnectionsPerEndpoint", maxConnectionsPerEndpoint, 1);
  }

  public static ConcurrencyLimits defaults() {
    return DEFAULTS;
  }
}
