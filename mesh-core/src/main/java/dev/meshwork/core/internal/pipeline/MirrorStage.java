package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.routing.CompiledRoute;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.routing.Route.Mirror;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the matched route's mirror copy, if the call is drawn for one, on the mesh's mirror
 * threads, then carries on with the call at once. The copy never delays or fails the caller: it is
 * dropped when the route's copies in flight are at their bound, when the mirror subset has no
 * healthy endpoint, or when the transport cannot copy the request. It runs after fault injection,
 * so a call the mesh aborts on purpose is not mirrored (Envoy mirrors from its router, after its
 * fault filter, too).
 */
final class MirrorStage implements CallStage {
  private static final Logger log = LoggerFactory.getLogger(MirrorStage.class);

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    CompiledRoute route = call.route();
    Mirror mirror = route == null ? null : route.route().mirror().orElse(null);
    if (mirror != null && FaultStage.hits(call.target().random(), mirror.percent())) {
      start(call, exchange, route, mirror);
    }
    return next.proceed(call, exchange);
  }

  private static <R> void start(
      CallContext call, Exchange<R> exchange, CompiledRoute route, Mirror mirror) {
    EndpointGroup group = route.mirrorGroup();
    List<EndpointState> candidates = group.candidates();
    String routeName = route.route().name();
    if (candidates.isEmpty() || !exchange.canMirror()) {
      if (call.records(DecisionKind.MIRROR)) {
        call.decision(
            DecisionKind.MIRROR,
            "skipped: route "
                + routeName
                + ", "
                + (candidates.isEmpty()
                    ? "subset " + group.name() + " has no healthy endpoint"
                    : "the request body cannot be sent twice"));
      }
      return;
    }
    Semaphore permits = route.mirrorPermits();
    if (!permits.tryAcquire()) {
      if (call.records(DecisionKind.MIRROR)) {
        call.decision(
            DecisionKind.MIRROR,
            "dropped: route " + routeName + " has " + mirror.maxInFlight() + " copies in flight");
      }
      return;
    }
    EndpointState target = group.balancer().pick(candidates, new MirrorPick(call.request()));
    if (call.records(DecisionKind.MIRROR)) {
      call.decision(DecisionKind.MIRROR, "copied: route " + routeName + " to " + target.address());
    }
    long timeoutNanos = mirror.timeout().toNanos();
    try {
      call.target()
          .mirrorThreads()
          .execute(
              () -> {
                try {
                  exchange.mirror(target.endpoint(), timeoutNanos);
                } catch (IOException | RuntimeException e) {
                  // The caller must never see a mirror's failure; the mirror's own logs and metrics
                  // do.
                  log.debug(
                      "service '{}' route '{}': mirror copy to {} failed: {}",
                      call.target().service(),
                      routeName,
                      target.address(),
                      e.toString());
                } finally {
                  permits.release();
                }
              });
    } catch (RejectedExecutionException e) {
      permits.release(); // the mesh is closing
    }
  }

  /** A mirror copy is picked like a first attempt. */
  private record MirrorPick(MeshRequest request) implements PickContext {
    @Override
    public int attempt() {
      return 0;
    }
  }
}
