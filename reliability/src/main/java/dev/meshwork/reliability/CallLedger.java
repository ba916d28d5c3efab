package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every call a scenario offers, from its start to its one terminal outcome (an answer or a
 * failure). A call still open after the bounded wait at the end is lost: never answered and never
 * failed. A second outcome for one call is counted too; it must not happen either. Only open calls
 * are kept, so the ledger does not grow with the number of calls.
 */
public final class CallLedger {
  private record Open(String kind, long startNanos) {}

  private final MeshClock clock;
  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, Open> open = new ConcurrentHashMap<>();
  private final LongAdder started = new LongAdder();
  private final LongAdder ended = new LongAdder();
  private final LongAdder endedTwice = new LongAdder();
  private final Object quiet = new Object();

  public CallLedger(MeshClock clock) {
    this.clock = clock;
  }

  /** Opens a call of {@code kind} (GET, POST, ...) and returns its id. */
  public long start(String kind) {
    long id = nextId.getAndIncrement();
    open.put(id, new Open(kind, clock.nanoTime()));
    started.increment();
    return id;
  }

  /**
   * Records call {@code id}'s terminal outcome. Returns false, and counts it, when the call had
   * already ended.
   */
  public boolean end(long id) {
    if (open.remove(id) == null) {
      endedTwice.increment();
      return false;
    }
    ended.increment();
    if (open.isEmpty()) {
      synchronized (quiet) {
        quiet.notifyAll();
      }
    }
    return true;
  }

  public long started() {
    return started.sum();
  }

  public long ended() {
    return ended.sum();
  }

  public long endedTwice() {
    return endedTwice.sum();
  }

  /** Calls without an outcome yet. */
  public int openCount() {
    return open.size();
  }

  /**
   * Waits until every call has ended, at most {@code bound} by the clock; returns the calls still
   * open then (the lost ones).
   */
  public int awaitAllEnded(Duration bound) throws InterruptedException {
    long deadline = clock.nanoTime() + bound.toNanos();
    synchronized (quiet) {
      while (!open.isEmpty()) {
        long left = deadline - clock.nanoTime();
        if (left <= 0) {
          break;
        }
        // Woken by the last end(); the timeout only bounds the wait.
        quiet.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
    return open.size();
  }

  /** Up to {@code limit} open calls, described with their kind and age, for the report. */
  public List<String> describeOpen(int limit) {
    List<String> described = new ArrayList<>();
    long now = clock.nanoTime();
    for (Map.Entry<Long, Open> entry : open.entrySet()) {
      if (described.size() == limit) {
        break;
      }
      described.add(
          "call "
              + entry.getKey()
              + " ("
              + entry.getValue().kind()
              + ", open for "
              + (now - entry.getValue().startNanos()) / 1_000_000
              + " ms)");
    }
    return described;
  }
}
