package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.ConcurrencyLimitException;
import dev.meshwork.core.NoHealthyEndpointsException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import dev.meshwork.core.transport.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the service's balancer for an endpoint among the call's candidates. A later attempt of the
 * same call prefers endpoints not tried yet, falling back to all candidates when every one has
 * been tried. An endpoint at its connection limit is passed over for the least busy one below it.
 */
final class PickEndpointStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next) throws IOException {
    CallContext call = attempt.call();
    List<EndpointState> candidates = call.candidates();
    if (candidates.isEmpty()) {
      throw new NoHealthyEndpointsException(call.service().service(),
          call.service().whyNoEndpoints(call.group(), call.route() == null ? null : call.route().route().name()));
    }
    List<EndpointState> untried = untried(candidates, call.tried());
    EndpointState picked = call.group().balancer().pick(untried, attempt);
    int maxConnections = call.service().config().limits().maxConnectionsPerEndpoint();
    if (picked.activeRequests() >= maxConnections) {
      picked = leastBusyBelow(maxConnections, untried, candidates, call);
    }
    attempt.endpoint(picked);
    call.decision(DecisionKind.PICK, call.service().config().loadBalancer().name());
    return next.proceed(attempt, exchange);
  }

  /** The picked endpoint is at its connection limit: take any that is not, or fail fast. */
  private static EndpointState leastBusyBelow(int maxConnections, List<EndpointState> untried,
      List<EndpointState> candidates, CallContext call) throws ConcurrencyLimitException {
    EndpointState best = null;
    for (List<EndpointState> pool : List.of(untried, candidates)) {
      for (EndpointState candidate : pool) {
        if (candidate.activeRequests() < maxConnections
            && (best == null || candidate.activeRequests() < best.activeRequests())) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    throw new ConcurrencyLimitException(call.service().service(), null, "limit reached: all " + candidates.size()
        + " endpoints are at maxConnectionsPerEndpoint " + maxConnections);
  }

  private static List<EndpointState> untried(List<EndpointState> candidates, List<EndpointState> tried) {
    if (tried.isEmpty()) {
      return candidates;
    }
    List<EndpointState> untried = new ArrayList<>(candidates.size());
    for (EndpointState candidate : candidates) {
      if (!tried.contains(candidate)) {
        untried.add(candidate);
      }
    }
    return untried.isEmpty() ? candidates : untried;
  }
}
