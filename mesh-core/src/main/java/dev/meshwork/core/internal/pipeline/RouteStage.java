package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.internal.routing.CompiledRoute;
import dev.meshwork.core.internal.routing.Destination;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.util.Locale;

/**
 * Matches the call against the service's route table, read once so the call sees one table, and
 * sends it to the chosen destination: a header override's subset, a subset drawn from the split, or
 * the whole service when no route matches or the route names no subset.
 */
final class RouteStage implements CallStage {

  @Override
  public <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException {
    Routing routing = call.target().routing();
    CompiledRoute route = routing.match(call.request());
    if (route == null) {
      call.destination(null, routing.all());
    } else {
      Destination destination = route.destination(call.request(), call.target().random());
      call.destination(route, destination.group());
      if (call.records(DecisionKind.ROUTE)) {
        call.decision(
            DecisionKind.ROUTE,
            destination.reason().name().toLowerCase(Locale.ROOT)
                + ": route "
                + route.route().name()
                + " -> "
                + (destination.group().name() == null
                    ? "all endpoints"
                    : "subset " + destination.group().name()));
      }
    }
    return next.proceed(call, exchange);
  }
}
