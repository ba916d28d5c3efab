package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.routing.CompiledRoute;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Injects the matched route's fault: first the delay, then the abort, each for its share of the
 * calls (and only for calls with the trigger header when one is set). It runs before the deadline
 * and retry stages, as Envoy's fault filter runs before its router: a delay does not eat into the
 * call's timeout, and an aborted call is not retried.
 */
final class FaultStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    CompiledRoute route = call.route();
    Fault fault = route == null ? null : route.route().fault().orElse(null);
    if (fault == null
        || (fault.triggerHeader().isPresent()
            && call.request().header(fault.triggerHeader().get()) == null)) {
      return next.proceed(call, exchange);
    }
    RandomGenerator random = call.target().random();
    String routeName = route.route().name();
    Duration delay = fault.delay().orElse(null);
    if (delay != null && hits(random, fault.delayPercent())) {
      if (call.records(DecisionKind.FAULT_DELAY)) {
        call.decision(
            DecisionKind.FAULT_DELAY,
            "delay: route " + routeName + " holds the call " + delay.toMillis() + " ms");
      }
      try {
        call.target().clock().sleep(delay.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "service '" + call.target().service() + "': interrupted in an injected delay");
      }
    }
    if (fault.aborts() && hits(random, fault.abortPercent())) {
      return abort(call, exchange, fault, routeName);
    }
    return next.proceed(call, exchange);
  }

  private static <R> R abort(CallContext call, Exchange<R> exchange, Fault fault, String routeName)
      throws MeshException.FaultInjected {
    String what = fault.abortConnection() ? "connection error" : "status " + fault.abortStatus();
    if (call.records(DecisionKind.FAULT_ABORT)) {
      call.decision(
          DecisionKind.FAULT_ABORT, "abort: route " + routeName + " answers with " + what);
    }
    String reason = "fault injected by route '" + routeName + "': " + what;
    if (!fault.abortConnection()) {
      R response = exchange.injectedResponse(fault.abortStatus(), reason);
      if (response != null) {
        return response;
      }
    }
    throw new MeshException.FaultInjected(call.target().service(), reason);
  }

  static boolean hits(RandomGenerator random, double percent) {
    return percent >= 100 || (percent > 0 && random.nextDouble() * 100 < percent);
  }
}
