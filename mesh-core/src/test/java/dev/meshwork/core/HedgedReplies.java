package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A no-network transport that can hedge: each attempt's answer is scripted by the attempt's number,
 * and where each attempt went is noted. A script forces hedged attempts to overlap by waiting on
 * latches; a reply remembers its attempt, so a test can tell whose answer it sees.
 */
public class HedgedReplies implements Exchange<HedgedReplies.Reply> {
  /** A response: its status, and which attempt gave it. */
  public record Reply(int status, int attempt) {}

  /** Decides one attempt's fate: a status, or an I/O failure. */
  @FunctionalInterface
  public interface Script {
    int status(int attempt) throws IOException;
  }

  public final Map<Integer, Endpoint> sentTo = new ConcurrentHashMap<>();
  private final Script script;
  private final Thread caller = Thread.currentThread();
  private final Map<Integer, CountDownLatch> taken = new ConcurrentHashMap<>();

  /** Made on the thread that will make the call. */
  public HedgedReplies(Script script) {
    this.script = script;
  }

  /**
   * Opens {@code latch} once the calling thread looked at attempt {@code attempt}'s reply: the
   * hedged race took it, so that attempt has ended, span and all.
   */
  public HedgedReplies whenTaken(int attempt, CountDownLatch latch) {
    taken.put(attempt, latch);
    return this;
  }

  /** Waits for {@code latch}; the test fails if it never opens. */
  public static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the other attempt never came");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public Reply send(Endpoint endpoint, AttemptContext attempt) throws IOException {
    sentTo.put(attempt.attempt(), endpoint);
    return new Reply(script.status(attempt.attempt()), attempt.attempt());
  }

  @Override
  public int status(Reply response) {
    CountDownLatch latch = taken.get(response.attempt());
    if (latch != null && Thread.currentThread() == caller) {
      latch.countDown();
    }
    return response.status();
  }

  @Override
  public boolean supportsHedging() {
    return true;
  }

  @Override
  public void discard(Reply response) {}
}
