package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.NoHealthyEndpointsException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.transport.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the service's balancer for an endpoint among the call's candidates. A later attempt of the
 * same call prefers endpoints not tried yet, falling back to all candidates when every one has
 * been tried.
 */
final class PickEndpointStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next) throws IOException {
    CallContext call = attempt.call();
    List<EndpointState> candidates = call.candidates();
    if (candidates.isEmpty()) {
      throw new NoHealthyEndpointsException(call.service().service(), call.service().whyNoEndpoints());
    }
    List<EndpointState> untried = untried(candidates, call.tried());
    attempt.endpoint(call.service().balancer().pick(untried, attempt));
    return next.proceed(attempt, exchange);
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
