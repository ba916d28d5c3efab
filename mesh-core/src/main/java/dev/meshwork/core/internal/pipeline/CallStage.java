package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;

/**
 * A step applied once per logical call (route, fault injection, deadline, retry loop). A stage may
 * call {@code next} once, several times (the retry loop), or not at all (an injected abort).
 */
interface CallStage {

  <R> R apply(CallContext call, Exchange<R> exchange, CallChain next) throws IOException;

  /** The rest of the pipeline after a call stage. */
  interface CallChain {
    <R> R proceed(CallContext call, Exchange<R> exchange) throws IOException;
  }
}
