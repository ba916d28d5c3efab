package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.balancer.ZoneRouter;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the service's balancer for an endpoint among the call's candidates. With zone awareness the
 * candidates are first narrowed to the caller's zone or, for the share that spills over, to the
 * other zones ({@code ZoneRouter}; not in panic mode). A later attempt of the same call prefers
 * endpoints not tried yet: in the chosen zone, then anywhere, then any candidate. An endpoint at
 * its connection limit is passed over for the least busy one below it.
 */
final class PickEndpointStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    CallContext call = attempt.call();
    List<EndpointState> candidates = call.candidates();
    if (candidates.isEmpty()) {
      throw new MeshException.NoHealthyEndpoints(
          call.target().service(),
          call.target()
              .whyNoEndpoints(
                  call.group(), call.route() == null ? null : call.route().route().name()));
    }
    ZoneRouter zones = call.target().zones();
    List<EndpointState> pool =
        zones == null || call.group().panic() ? candidates : narrow(zones, call, candidates);
    List<EndpointState> tried = call.tried();
    List<EndpointState> untried = untried(pool, tried);
    if (untried == null && pool != candidates) {
      untried = untried(candidates, tried);
    }
    if (untried == null) {
      untried = candidates;
    }
    EndpointState picked = call.group().balancer().pick(untried, attempt);
    int maxConnections = call.target().maxConnectionsPerEndpoint();
    if (picked.activeRequests() >= maxConnections) {
      picked = leastBusyBelow(maxConnections, untried, candidates, attempt);
    }
    attempt.endpoint(picked);
    if (attempt.records(DecisionKind.PICK)) {
      attempt.decision(
          DecisionKind.PICK,
          picked.address()
              + ": attempt "
              + attempt.attempt()
              + " by "
              + call.target().balancerName()
              + " among "
              + untried.size()
              + (call.group().name() == null ? "" : " of subset " + call.group().name())
              + (call.group().panic() ? " (panic: ejected endpoints included)" : ""));
    }
    return next.proceed(attempt, exchange);
  }

  /**
   * The zone-narrowed pool: from the group's prepared partition when the call's list is still the
   * group's.
   */
  private static List<EndpointState> narrow(
      ZoneRouter zones, CallContext call, List<EndpointState> candidates) {
    ZoneRouter.Partition prepared = call.group().zonePartition();
    if (prepared != null
        && prepared.candidates() == candidates
        && prepared.population() == call.population()) {
      return zones.narrow(prepared);
    }
    return zones.narrow(candidates, call.population());
  }

  /** The picked endpoint is at its connection limit: take any that is not, or fail fast. */
  private static EndpointState leastBusyBelow(
      int maxConnections,
      List<EndpointState> untried,
      List<EndpointState> candidates,
      AttemptState attempt)
      throws MeshException.ConcurrencyLimited {
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
    MeshException.ConcurrencyLimited refused =
        new MeshException.ConcurrencyLimited(
            attempt.service(),
            null,
            "limit reached: all "
                + candidates.size()
                + " endpoints are at maxConnectionsPerEndpoint "
                + maxConnections);
    attempt.decision(DecisionKind.REJECTED, "endpoint_limit: " + refused.getMessage());
    throw refused;
  }

  /**
   * The endpoints of {@code pool} not tried yet: {@code pool} itself on a first attempt, {@code
   * null} when none is left.
   */
  private static List<EndpointState> untried(List<EndpointState> pool, List<EndpointState> tried) {
    if (tried.isEmpty()) {
      return pool;
    }
    List<EndpointState> untried = new ArrayList<>(pool.size());
    for (EndpointState candidate : pool) {
      if (!tried.contains(candidate)) {
        untried.add(candidate);
      }
    }
    return untried.isEmpty() ? null : untried;
  }
}
