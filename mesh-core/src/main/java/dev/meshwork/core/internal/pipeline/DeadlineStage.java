package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshDeadline;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Sets the call's deadline: the tightest of the per-call timeout (or else the matched route's, or
 * else the service's) and the deadline the current thread inherited from its own caller. Attempts
 * and back-off read the remaining time from the call; a failure after the deadline passed leaves as
 * {@link MeshException.DeadlineExceeded}, naming where the call was waiting (see {@code exceeded}).
 * Calls without any deadline pass straight through.
 */
final class DeadlineStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    Duration timeout = call.request().options().timeout().orElse(null);
    if (timeout == null && call.route() != null) {
      timeout = call.route().route().timeout().orElse(null);
    }
    if (timeout == null) {
      timeout = call.target().timeouts().deadline().orElse(null);
    }
    long inherited = MeshDeadline.currentRemainingNanos();
    if (timeout == null && inherited == Long.MAX_VALUE) {
      return next.proceed(call, exchange);
    }
    long start = call.startNanos();
    long budget = Math.min(timeout == null ? Long.MAX_VALUE : timeout.toNanos(), inherited);
    if (budget <= 0) {
      throw new MeshException.DeadlineExceeded(
          call.target().service(),
          null,
          "the deadline inherited from the caller had"
              + " passed "
              + Duration.ofNanos(-budget).toMillis()
              + " ms before the first attempt; no attempt was made",
          null);
    }
    call.deadlineNanos(start + budget);
    try {
      return next.proceed(call, exchange);
    } catch (MeshException.DeadlineExceeded e) {
      throw e;
    } catch (IOException e) {
      if (call.target().clock().nanoTime() - call.deadlineNanos() >= 0) {
        throw exceeded(
            call,
            e,
            "deadline of "
                + Duration.ofNanos(budget).toMillis()
                + " ms exceeded "
                + spent(call)
                + "; the last failed: "
                + reasonOf(e));
      }
      throw e;
    }
  }

  /**
   * {@code failure}, which came after the deadline, as the missed deadline. Unhedged attempts run
   * one at a time: it names the failure's own endpoint, else the latest pick, the one that was
   * running. Under hedging the latest pick may be another attempt's, so it names every endpoint
   * that had an attempt in flight when the deadline passed if there were several; else the
   * failure's own endpoint, else the one in flight, else none.
   */
  private static MeshException.DeadlineExceeded exceeded(
      CallContext call, IOException failure, String reason) {
    ServiceName service = call.target().service();
    Endpoint own = failure instanceof MeshException mesh ? mesh.endpoint().orElse(null) : null;
    HedgedRace<?> race = call.race();
    if (race == null) {
      EndpointState last = call.lastEndpoint();
      return new MeshException.DeadlineExceeded(
          service, own != null || last == null ? own : last.endpoint(), reason, failure);
    }
    List<Endpoint> inFlight = race.inFlightAt(call.deadlineNanos());
    if (inFlight.size() > 1) {
      return MeshException.DeadlineExceeded.inFlightAt(service, inFlight, reason, failure);
    }
    return new MeshException.DeadlineExceeded(
        service, own != null || inFlight.isEmpty() ? own : inFlight.get(0), reason, failure);
  }

  /**
   * The time the call has used and its attempts so far, as in {@code after 312 ms and 2 attempts}.
   */
  static String spent(CallContext call) {
    int attempts = call.attempts();
    return "after "
        + Duration.ofNanos(call.target().clock().nanoTime() - call.startNanos()).toMillis()
        + " ms and "
        + attempts
        + (attempts == 1 ? " attempt" : " attempts");
  }

  /**
   * Why {@code failure} happened, without the service and endpoint its message starts with (the
   * deadline's own message names them once): {@code SocketTimeoutException: Read timed out}.
   */
  static String reasonOf(IOException failure) {
    if (failure instanceof MeshException mesh) {
      String prefix =
          "service '"
              + mesh.service()
              + "'"
              + mesh.endpoint().map(e -> " endpoint " + e.address()).orElse("")
              + ": ";
      String message = failure.getMessage();
      return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
    String message = failure.getMessage();
    String type = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
