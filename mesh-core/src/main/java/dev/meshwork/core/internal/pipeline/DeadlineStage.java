package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.DeadlineExceededException;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshDeadline;
import dev.meshwork.core.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.transport.Exchange;
import java.io.IOException;
import java.time.Duration;

/**
 * Sets the call's deadline: the tightest of the per-call timeout (or else the service's) and the
 * deadline the current thread inherited from its own caller. Attempts and back-off read the
 * remaining time from the call; a failure after the deadline passed leaves as {@link
 * DeadlineExceededException}, naming the failure's own endpoint. Calls without any deadline pass
 * straight through.
 */
final class DeadlineStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    Duration timeout = call.request().options().timeout();
    if (timeout == null) {
      timeout = call.service().config().timeouts().deadline();
    }
    long inherited = MeshDeadline.currentRemainingNanos();
    if (timeout == null && inherited == Long.MAX_VALUE) {
      return next.proceed(call, exchange);
    }
    long start = call.startNanos();
    long budget = Math.min(timeout == null ? Long.MAX_VALUE : timeout.toNanos(), inherited);
    if (budget <= 0) {
      throw new DeadlineExceededException(call.service().service(), null,
          "the deadline inherited from the caller had passed before the first attempt", null);
    }
    call.deadlineNanos(start + budget);
    try {
      return next.proceed(call, exchange);
    } catch (DeadlineExceededException e) {
      throw e;
    } catch (IOException e) {
      if (call.service().clock().nanoTime() - call.deadlineNanos() >= 0) {
        throw new DeadlineExceededException(call.service().service(), endpointOf(e, call), describe(budget, call.attempts()), e);
      }
      throw e;
    }
  }

  /**
   * The endpoint {@code failure} names, else the call's latest pick. Under hedging the latest
   * pick may be the other attempt's, so a failure that knows its endpoint is believed first.
   */
  private static Endpoint endpointOf(IOException failure, CallContext call) {
    if (failure instanceof MeshException mesh && mesh.endpoint() != null) {
      return mesh.endpoint();
    }
    EndpointState last = call.lastEndpoint();
    return last == null ? null : last.endpoint();
  }

  static String describe(long budgetNanos, int attempts) {
    return "deadline of " + Duration.ofNanos(budgetNanos).toMillis() + " ms exceeded after " + attempts
        + (attempts == 1 ? " attempt" : " attempts");
  }
}
