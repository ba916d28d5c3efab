package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.FailureKind;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * The ordered stages every call passes. Call stages run once per logical call, outermost first;
 * after the last one, each {@code proceed} starts one attempt, which runs the attempt stages and
 * then the transport. The chain links are allocated once here, not per call.
 *
 * <p>The order is documented in {@code docs/ARCHITECTURE.md}; {@link #standard} builds it.
 */
public final class Pipeline {
  private final CallStage[] callStages;
  private final AttemptStage[] attemptStages;
  private final CallStage.CallChain firstCallLink;
  private final AttemptStage.AttemptChain firstAttemptLink;

  public Pipeline(List<CallStage> callStages, List<AttemptStage> attemptStages) {
    this.callStages = callStages.toArray(CallStage[]::new);
    this.attemptStages = attemptStages.toArray(AttemptStage[]::new);
    this.firstAttemptLink = attemptLink(0);
    this.firstCallLink = callLink(0);
  }

  /**
   * The pipeline of this release: route, fault injection, mirroring, deadline, retry loop; then per
   * attempt the breaker and limits, the pick, the attempt's events to the call's listener (span and
   * duration), and the outcome record.
   */
  public static Pipeline standard() {
    return new Pipeline(
        List.of(
            new RouteStage(),
            new FaultStage(),
            new MirrorStage(),
            new DeadlineStage(),
            new RetryStage()),
        List.of(
            new AdmissionStage(),
            new PickEndpointStage(),
            new AttemptEventStage(),
            new RecordOutcomeStage()));
  }

  /**
   * Runs a call of {@code request} to {@code target} through every stage and returns the response
   * the stages settled on. The call's listener hears it start and end.
   */
  public <R> R execute(CallTarget target, MeshRequest request, Exchange<R> exchange)
      throws IOException {
    CallContext call = new CallContext(target, request, target.clock().nanoTime());
    CallListener listener = call.listener();
    listener.callStart(call);
    R response;
    try {
      response = firstCallLink.proceed(call, exchange);
    } catch (IOException | RuntimeException | Error e) {
      listener.callFailed(call, e);
      throw e;
    }
    listener.callEnd(call);
    return response;
  }

  private CallStage.CallChain callLink(int index) {
    if (index == callStages.length) {
      return new CallStage.CallChain() {
        @Override
        public <R> R proceed(CallContext call, Exchange<R> exchange) throws IOException {
          return firstAttemptLink.proceed(call.newAttempt(), exchange);
        }
      };
    }
    CallStage stage = callStages[index];
    CallStage.CallChain next = callLink(index + 1);
    return new CallStage.CallChain() {
      @Override
      public <R> R proceed(CallContext call, Exchange<R> exchange) throws IOException {
        return stage.apply(call, exchange, next);
      }
    };
  }

  private AttemptStage.AttemptChain attemptLink(int index) {
    if (index == attemptStages.length) {
      return Pipeline::send;
    }
    AttemptStage stage = attemptStages[index];
    AttemptStage.AttemptChain next = attemptLink(index + 1);
    return new AttemptStage.AttemptChain() {
      @Override
      public <R> R proceed(AttemptState attempt, Exchange<R> exchange) throws IOException {
        return stage.apply(attempt, exchange, next);
      }
    };
  }

  /** The transport itself; its I/O errors leave here naming the service and endpoint. */
  private static <R> R send(AttemptState attempt, Exchange<R> exchange) throws IOException {
    EndpointState endpoint = attempt.endpoint();
    if (endpoint == null) {
      throw new IllegalStateException("pipeline has no pick stage before the transport");
    }
    attempt.sending();
    try {
      return exchange.send(endpoint.endpoint(), attempt);
    } catch (MeshException e) {
      throw e;
    } catch (IOException e) {
      attempt.cancelled(noVerdict(attempt, exchange, e));
      throw new MeshException.EndpointFailed(attempt.service(), endpoint.endpoint(), e);
    }
  }

  /**
   * Whether {@code failure} says nothing about the endpoint: the mesh stopped the attempt, the
   * caller cancelled the call or interrupted its thread, or a timeout came from the call's deadline
   * rather than the attempt's own per-try (or connect) timeout, which is a verdict.
   */
  private static boolean noVerdict(
      AttemptState attempt, Exchange<?> exchange, IOException failure) {
    if (attempt.stopped() || exchange.callerCancelled() || Thread.currentThread().isInterrupted()) {
      return true;
    }
    FailureKind kind = exchange.classify(failure);
    boolean timedOut = false;
    for (Throwable t = failure; t != null && !timedOut; t = t.getCause()) {
      timedOut = t instanceof SocketTimeoutException;
    }
    return timedOut
        && (kind == FailureKind.TIMEOUT || kind == FailureKind.CONNECT_FAILURE)
        && attempt.deadlineCut(kind == FailureKind.CONNECT_FAILURE);
  }
}
