package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.resilience.Backoff;
import dev.meshwork.core.internal.resilience.RetryAfter;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.FailureKind;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The retry loop. Each pass runs one attempt; a failed attempt is retried when the policy lists its
 * kind, when it is safe (the failure proves nothing was sent, or the call is idempotent), when
 * attempts remain, when the back-off still fits the deadline, and when the service's retry budget
 * has a retry to spare. A retriable answer (a 503, say) that cannot be retried is returned; a
 * failure without an answer is thrown. The pick stage steers each retry to an endpoint not yet
 * tried.
 */
final class RetryStage implements CallStage {
  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    CallTarget service = call.target();
    RetryPolicy policy = service.retries();
    CallOptions options = call.request().options();
    int maxAttempts = options.maxAttempts().orElse(policy.maxAttempts());
    Set<RetryOn> retryOn = options.retryOn().orElse(policy.retryOn());
    service.retryBudget().deposit();
    Duration hedgeDelay = options.hedgeDelay().orElse(service.hedgeDelay());
    boolean hedge =
        hedgeDelay != null
            && !hedgeDelay.isZero()
            && maxAttempts > 1
            && exchange.supportsHedging()
            && idempotent(call.request());
    call.hedging(hedge);
    for (; ; ) {
      R response;
      Endpoint answered = null;
      try {
        if (hedge) {
          HedgedRace.Outcome<R> outcome =
              race(call, exchange, next, hedgeDelay.toNanos(), maxAttempts, policy, retryOn);
          response = outcome.response();
          answered = outcome.endpoint();
        } else {
          response = next.proceed(call, exchange);
        }
      } catch (MeshException.EndpointFailed failure) {
        if (exchange.callerCancelled()) {
          throw failure; // the caller gave up on the call: no retry
        }
        FailureKind kind =
            exchange.classify(failure.getCause() instanceof IOException io ? io : failure);
        if (!retryOn.contains(retryOnOf(kind))
            || call.attempts() >= maxAttempts
            || !(kind.provesNotSent() || idempotent(call.request()))) {
          throw failure;
        }
        long wait = backoff(call, policy);
        requireTimeFor(call, wait, failure);
        String reason = kind.name().toLowerCase(Locale.ROOT);
        if (!service.retryBudget().tryWithdraw()) {
          MeshException.RetryBudgetExhausted refused =
              new MeshException.RetryBudgetExhausted(
                  service.service(),
                  failure.endpoint().orElse(null),
                  service.retryBudget().describe()
                      + "; attempt "
                      + call.attempts()
                      + " failed: "
                      + failure.getMessage(),
                  failure);
          call.decision(
              DecisionKind.BUDGET_REFUSED,
              failure.endpoint().orElse(null),
              reason + ": " + refused.getMessage());
          throw refused;
        }
        if (call.records(DecisionKind.RETRY)) {
          call.decision(
              DecisionKind.RETRY,
              failure.endpoint().orElse(null),
              reason
                  + ": attempt "
                  + call.attempts()
                  + " failed on "
                  + failure.endpoint().orElse(null)
                  + "; retrying in "
                  + TimeUnit.NANOSECONDS.toMillis(wait)
                  + " ms");
        }
        sleep(service.clock(), wait);
        continue;
      }
      int status = exchange.status(response);
      if (!retriableStatus(status, retryOn, policy)
          || call.attempts() >= maxAttempts
          || !idempotent(call.request())) {
        return response;
      }
      long retryAfter =
          RetryAfter.nanos(exchange.header(response, "Retry-After"), service.clock().now());
      if (retryAfter > policy.maxRetryAfter().toNanos()) {
        return response; // the server asked for more patience than this call has: its answer stands
      }
      long wait = Math.max(backoff(call, policy), retryAfter);
      if (call.hasDeadline() && service.clock().nanoTime() + wait - call.deadlineNanos() >= 0) {
        return response;
      }
      if (!hedge) {
        // Unhedged attempts run one at a time, so the call's latest pick is the one that answered.
        EndpointState last = call.lastEndpoint();
        answered = last == null ? null : last.endpoint();
      }
      if (!service.retryBudget().tryWithdraw()) {
        // As Envoy does when a retry overflows its budget: the answer the retry would have replaced
        // stands.
        if (call.records(DecisionKind.BUDGET_REFUSED)) {
          call.decision(
              DecisionKind.BUDGET_REFUSED,
              answered,
              "status_"
                  + status
                  + ": service '"
                  + service.service()
                  + "': "
                  + service.retryBudget().describe()
                  + "; attempt "
                  + call.attempts()
                  + " answered "
                  + status
                  + (answered == null ? "" : " from " + answered.address())
                  + "; returning that answer");
        }
        return response;
      }
      exchange.discard(response);
      if (call.records(DecisionKind.RETRY)) {
        call.decision(
            DecisionKind.RETRY,
            answered,
            "status_"
                + status
                + ": attempt "
                + call.attempts()
                + " answered "
                + status
                + (answered == null ? "" : " from " + answered.address())
                + "; retrying in "
                + TimeUnit.NANOSECONDS.toMillis(wait)
                + " ms");
      }
      sleep(service.clock(), wait);
    }
  }

  /**
   * One attempt, plus a backup attempt if the first has not answered within {@code delayNanos} and
   * the budget allows; returns the first good outcome, or the last bad one (an answer: a failure is
   * thrown). The outcome names the endpoint that answered, which under hedging need not be the
   * call's latest pick.
   */
  private static <R> HedgedRace.Outcome<R> race(
      CallContext call,
      Exchange<R> exchange,
      CallChain next,
      long delayNanos,
      int maxAttempts,
      RetryPolicy policy,
      Set<RetryOn> retryOn)
      throws IOException {
    CallTarget service = call.target();
    HedgedRace<R> race = new HedgedRace<>(call, exchange, next, service.hedgeThreads());
    call.race(race);
    int before = call.attempts();
    race.start();
    HedgedRace.Outcome<R> bad = null;
    int received = 0;
    try {
      HedgedRace.Outcome<R> outcome = race.poll(delayNanos);
      if (outcome == null && before + 1 < maxAttempts) {
        if (service.retryBudget().tryWithdraw()) {
          if (call.records(DecisionKind.RETRY)) {
            call.decision(
                DecisionKind.RETRY,
                race.firstSentTo(),
                "hedge: attempt "
                    + before
                    + " has not answered after "
                    + TimeUnit.NANOSECONDS.toMillis(delayNanos)
                    + " ms; sending a backup attempt");
          }
          race.start();
        } else if (call.records(DecisionKind.BUDGET_REFUSED)) {
          call.decision(
              DecisionKind.BUDGET_REFUSED,
              race.firstSentTo(),
              "hedge: service '"
                  + service.service()
                  + "': "
                  + service.retryBudget().describe()
                  + "; no backup for attempt "
                  + before);
        }
      }
      for (; ; ) {
        if (outcome == null) {
          outcome = race.take();
        }
        received++;
        boolean good =
            outcome.failure() == null
                && !retriableStatus(exchange.status(outcome.response()), retryOn, policy);
        if (bad != null && bad.response() != null) {
          exchange.discard(bad.response());
        }
        if (good || received == race.started()) {
          race.settle(outcome);
          if (outcome.failure() != null) {
            throw outcome.failure();
          }
          return outcome;
        }
        bad = outcome;
        outcome = null;
      }
    } catch (InterruptedIOException e) {
      race.settle(null);
      throw e;
    }
  }

  /**
   * Whether an answer with {@code status} is a failure this call retries (the per-call list may
   * narrow the policy's).
   */
  private static boolean retriableStatus(int status, Set<RetryOn> retryOn, RetryPolicy policy) {
    return policy.listsStatus(status) && retryOn.contains(RetryOn.RETRIABLE_STATUS);
  }

  static boolean idempotent(MeshRequest request) {
    Boolean marked = request.options().idempotent().orElse(null);
    if (marked != null) {
      return marked;
    }
    // A client that sends an Idempotency-Key promises the server deduplicates (IETF httpapi draft).
    return IDEMPOTENT_METHODS.contains(request.method())
        || request.header("Idempotency-Key") != null;
  }

  private static RetryOn retryOnOf(FailureKind kind) {
    return switch (kind) {
      case CONNECT_FAILURE -> RetryOn.CONNECT_FAILURE;
      case REFUSED_STREAM -> RetryOn.REFUSED_STREAM;
      case RESET -> RetryOn.RESET;
      case TIMEOUT -> RetryOn.TIMEOUT;
    };
  }

  private static long backoff(CallContext call, RetryPolicy policy) {
    return Backoff.nanos(
        call.attempts(),
        policy.backoffBase().toNanos(),
        policy.backoffMax().toNanos(),
        call.target().random()::nextDouble);
  }

  private static void requireTimeFor(
      CallContext call, long wait, MeshException.EndpointFailed failure)
      throws MeshException.DeadlineExceeded {
    long now = call.target().clock().nanoTime();
    if (call.hasDeadline() && now + wait - call.deadlineNanos() >= 0) {
      throw new MeshException.DeadlineExceeded(
          call.target().service(),
          failure.endpoint().orElse(null),
          "deadline of "
              + TimeUnit.NANOSECONDS.toMillis(call.deadlineNanos() - call.startNanos())
              + " ms leaves no time to retry "
              + DeadlineStage.spent(call)
              + "; the last failed: "
              + DeadlineStage.reasonOf(failure),
          failure);
    }
  }

  private static void sleep(MeshClock clock, long nanos) throws InterruptedIOException {
    try {
      clock.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted during retry back-off");
      interrupted.initCause(e);
      throw interrupted;
    }
  }
}
