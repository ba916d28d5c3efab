package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.FailureKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Overlapping attempts of one hedged call. Each attempt runs the attempt chain on a hedge thread;
 * the calling thread waits for outcomes. Once the caller settles on one, the others are cancelled
 * through the transport, and a response that arrives after that is released, never leaked.
 */
final class HedgedRace<R> {
  /**
   * How one attempt ended: a response, or a failure; {@code endpoint} is where it was sent, if it
   * got that far.
   */
  record Outcome<R>(R response, IOException failure, Endpoint endpoint) {}

  private final CallContext call;
  private final Exchange<R> exchange;
  private final CallStage.CallChain next;
  private final Executor threads;
  private final BlockingQueue<Outcome<R>> finished = new LinkedBlockingQueue<>();
  private final List<Runner> runners = new ArrayList<>(2);
  private boolean settled;

  HedgedRace(CallContext call, Exchange<R> exchange, CallStage.CallChain next, Executor threads) {
    this.call = call;
    this.exchange = exchange;
    this.next = next;
    this.threads = threads;
  }

  /** Starts one more attempt. */
  void start() {
    Runner runner = new Runner();
    synchronized (this) {
      runners.add(runner);
    }
    try {
      threads.execute(runner);
    } catch (RejectedExecutionException e) {
      finished.add(
          new Outcome<>(
              null, new IOException("hedge threads are shut down (mesh closed)", e), null));
    }
  }

  synchronized int started() {
    return runners.size();
  }

  /** Where the first attempt was sent, or {@code null} while it has not reached the transport. */
  synchronized Endpoint firstSentTo() {
    return runners.isEmpty() ? null : runners.get(0).sentTo;
  }

  /**
   * The endpoints of the attempts that were in flight at {@code nanos} (mesh clock): sent by then
   * and not yet ended, in the order of their attempt numbers. That is not always the order the
   * runners were started in: a backup whose thread runs first takes the lower number.
   */
  synchronized List<Endpoint> inFlightAt(long nanos) {
    List<Runner> inFlight = new ArrayList<>(runners.size());
    for (Runner runner : runners) {
      if (runner.sentTo != null
          && runner.sentNanos - nanos <= 0
          && (runner.outcome == null || runner.endedNanos - nanos >= 0)) {
        inFlight.add(runner);
      }
    }
    // A sent runner has its attempt: send() records it before sentTo.
    inFlight.sort(Comparator.comparingInt(runner -> runner.attempt.attempt()));
    return inFlight.stream().map(runner -> runner.sentTo).toList();
  }

  /** The next attempt to finish, waiting at most {@code nanos}; {@code null} if none did. */
  Outcome<R> poll(long nanos) throws InterruptedIOException {
    try {
      return finished.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /** The next attempt to finish. */
  Outcome<R> take() throws InterruptedIOException {
    try {
      return finished.take();
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /**
   * Ends the race with {@code winner} (or none, on interruption): cancels attempts still running
   * and releases every other response, now or when it arrives.
   */
  @SuppressWarnings("ReferenceEquality") // the winner itself: another attempt may answer alike
  void settle(Outcome<R> winner) {
    List<Runner> toCancel;
    synchronized (this) {
      settled = true;
      toCancel = List.copyOf(runners);
    }
    for (Runner runner : toCancel) {
      AttemptContext attempt = runner.attempt;
      if (attempt != null && runner.outcome == null) {
        if (attempt instanceof AttemptState state) {
          state.stop();
        }
        exchange.cancel(attempt);
      }
    }
    List<Outcome<R>> early = new ArrayList<>();
    finished.drainTo(early);
    for (Outcome<R> outcome : early) {
      if (outcome != winner && outcome.response() != null) {
        exchange.discard(outcome.response());
      }
    }
  }

  private static InterruptedIOException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException interrupted =
        new InterruptedIOException("interrupted while waiting for hedged attempts");
    interrupted.initCause(e);
    return interrupted;
  }

  /** One attempt on a hedge thread. */
  private final class Runner implements Runnable {
    volatile AttemptContext attempt;

    /** Set under the race's lock with {@link #sentNanos}: where the attempt went, once sent. */
    volatile Endpoint sentTo;

    /** Set under the race's lock with {@link #endedNanos}. */
    volatile Outcome<R> outcome;

    /** When the attempt reached the transport and when it ended, on the mesh clock. */
    long sentNanos;

    long endedNanos;

    @Override
    public void run() {
      Outcome<R> result;
      try {
        result = new Outcome<>(next.proceed(call, new Tracking()), null, sentTo);
      } catch (IOException e) {
        result = new Outcome<>(null, e, sentTo);
      } catch (RuntimeException e) {
        result = new Outcome<>(null, new IOException("hedged attempt failed: " + e, e), sentTo);
      }
      synchronized (HedgedRace.this) {
        endedNanos = call.target().clock().nanoTime();
        outcome = result;
        if (!settled) {
          finished.add(result);
          return;
        }
      }
      if (result.response() != null) {
        exchange.discard(result.response()); // lost the race after it was settled
      }
    }

    /** The call's exchange, remembering which attempt this runner sends so it can be cancelled. */
    private final class Tracking implements Exchange<R> {
      @Override
      public R send(Endpoint endpoint, AttemptContext context) throws IOException {
        attempt = context;
        synchronized (HedgedRace.this) {
          if (settled) {
            if (context instanceof AttemptState state) {
              state.stop();
            }
            throw new IOException("hedged attempt not sent: another attempt already answered");
          }
          sentNanos = call.target().clock().nanoTime();
          sentTo = endpoint;
        }
        return exchange.send(endpoint, context);
      }

      @Override
      public int status(R response) {
        return exchange.status(response);
      }

      @Override
      public String header(R response, String name) {
        return exchange.header(response, name);
      }

      @Override
      public FailureKind classify(IOException failure) {
        return exchange.classify(failure);
      }

      @Override
      public void discard(R response) {
        exchange.discard(response);
      }
    }
  }
}
