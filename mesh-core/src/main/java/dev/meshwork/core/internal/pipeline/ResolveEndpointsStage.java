package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.transport.Exchange;
import java.io.IOException;

/**
 * Loads the endpoints the service may use now (not ejected, or all of them in panic mode) into
 * the call, once, so every attempt of the call sees the same set, with the population they come
 * from (zone awareness needs it). Routing to a subset will narrow both here.
 */
final class ResolveEndpointsStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    var service = call.service();
    call.candidates(service.candidates(), service.endpointSet().states());
    return next.proceed(call, exchange);
  }
}
