package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.transport.Exchange;
import java.io.IOException;

/**
 * Loads the endpoints the service may use now (not ejected, or all of them in panic mode) into
 * the call, once, so every attempt of the call sees the same set. Routing to a subset will narrow
 * the candidates here.
 */
final class ResolveEndpointsStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    call.candidates(call.service().candidates());
    return next.proceed(call, exchange);
  }
}
