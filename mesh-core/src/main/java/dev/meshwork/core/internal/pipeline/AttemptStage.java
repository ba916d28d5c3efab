package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;

/**
 * A step applied once per physical attempt (admission, endpoint pick, outcome recording), in front
 * of the transport.
 */
interface AttemptStage {

  <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next) throws IOException;

  /** The rest of the attempt after a stage, ending in the transport. */
  interface AttemptChain {
    <R> R proceed(AttemptState attempt, Exchange<R> exchange) throws IOException;
  }
}
