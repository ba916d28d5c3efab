package dev.meshwork.benchmarks.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Drives calls at a target for a warm-up and then a measured window, with {@code concurrency}
 * caller threads, in one of two modes:
 *
 * <ul>
 *   <li>closed loop: each caller sends its next call when the previous one returns; latency is
 *       measured from the send. Shows the most a client can push through.
 *   <li>fixed rate (open loop): call {@code i} is due at {@code start + i / rate}; a free caller
 *       takes the next due call, waits until it is due and sends it. Latency is measured from the
 *       time the call was due, not from when a caller got round to it, so time spent queued behind
 *       slow calls counts (no coordinated omission, as in wrk2). Due calls that could not be sent
 *       within {@link #GRACE_NANOS} after the window are counted as errors.
 * </ul>
 *
 * A call belongs to the window if it started (closed loop) or was due (fixed rate) in it. Each
 * caller records into its own histogram (and, when a {@link Timeline} is asked for, its own
 * per-second counts), merged at the end, so recording takes no lock.
 */
final class LoadDriver {
  /** How long after the window due calls may still be sent and in-flight calls may finish. */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** One call: sends a request, reads the whole response body, closes it; throws on any failure. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** How to drive: {@code rate} is calls per second for fixed rate, 0 for closed loop. */
  record Plan(int concurrency, double rate, double warmupSeconds, double durationSeconds) {
    boolean fixedRate() {
      return rate > 0;
    }
  }

  /**
   * Per-second counts of completed calls, second 0 starting at {@code originNanos} (by {@link
   * System#nanoTime()}, e.g. when the JVM started), for the first {@code seconds} seconds.
   */
  record Timeline(long originNanos, int seconds) {
    static final Timeline NONE = new Timeline(0, 0);
  }

  private LoadDriver() {}

  /** Runs {@code plan} against {@code call}, metering CPU with {@code cpu} over the window. */
  static LoadResult run(Call call, Plan plan, CpuMeter cpu) throws InterruptedException {
    return run(call, plan, cpu, Timeline.NONE, null);
  }

  /**
   * {@link #run(Call, Plan, CpuMeter)}, also counting completed calls per second of {@code
   * timeline}, and the connections the backend accepted in the window by the difference of two
   * readings of {@code backendAccepts} (null: not counted).
   */
  static LoadResult run(
      Call call, Plan plan, CpuMeter cpu, Timeline timeline, LongSupplier backendAccepts)
      throws InterruptedException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20); // callers start together
    long windowStart = start + (long) (plan.warmupSeconds() * 1e9);
    long windowEnd = windowStart + (long) (plan.durationSeconds() * 1e9);
    Shared shared = new Shared(start, windowStart, windowEnd, plan.rate(), timeline);
    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < plan.concurrency(); i++) {
      Caller caller = new Caller(call, shared, plan.fixedRate());
      callers.add(caller);
      Thread thread = new Thread(caller, "load-caller-" + i);
      thread.setDaemon(true);
      caller.thread = thread;
      thread.start();
    }
    sleepUntil(windowStart);
    long acceptsBefore = backendAccepts == null ? -1 : backendAccepts.getAsLong();
    Map<String, Double> before = cpu.read();
    GcMeter gcBefore = GcMeter.read();
    AllocationMeter allocationBefore = AllocationMeter.read();
    sleepUntil(windowEnd);
    AllocationMeter allocationAfter = AllocationMeter.read();
    Map<String, Double> after = cpu.read();
    GcMeter gc = GcMeter.read().since(gcBefore);
    long accepted = backendAccepts == null ? -1 : backendAccepts.getAsLong() - acceptsBefore;
    Histogram latencies = new Histogram(3);
    long[] perSecond = new long[timeline.seconds()];
    long calls = 0;
    long errors = 0;
    Set<Long> callerIds = new HashSet<>();
    callers.forEach(caller -> callerIds.add(caller.thread.getId()));
    long allocated = allocationAfter.since(allocationBefore, callerIds);
    for (Caller caller : callers) {
      caller.thread.join(TimeUnit.NANOSECONDS.toMillis(GRACE_NANOS) + 5_000);
      if (caller.thread.isAlive()) {
        caller.thread.interrupt();
        shared.failure(
            "a caller was still inside a call "
                + GRACE_NANOS / 1_000_000_000
                + " s after the window");
        errors++;
        continue;
      }
      latencies.add(caller.latencies);
      for (int second = 0; second < perSecond.length; second++) {
        perSecond[second] += caller.perSecond[second];
      }
      calls += caller.calls;
      errors += caller.errors;
      allocated =
          allocated < 0 || caller.allocatedInWindow < 0 ? -1 : allocated + caller.allocatedInWindow;
    }
    errors += shared.unsent.get();
    return new LoadResult(
        calls,
        errors,
        plan.durationSeconds(),
        latencies,
        CpuMeter.spent(before, after),
        gc,
        shared.firstError.get(),
        allocated,
        accepted,
        perSecond);
  }

  private static void sleepUntil(long deadline) throws InterruptedException {
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** State the callers share: the schedule, the next fixed-rate ticket, failures. */
  private static final class Shared {
    final long start;
    final long windowStart;
    final long windowEnd;
    final double nanosPerCall;
    final Timeline timeline;
    final AtomicLong nextTicket = new AtomicLong();
    final AtomicLong unsent = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();

    Shared(long start, long windowStart, long windowEnd, double rate, Timeline timeline) {
      this.start = start;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.nanosPerCall = rate > 0 ? 1e9 / rate : 0;
      this.timeline = timeline;
    }

    void failure(String description) {
      firstError.compareAndSet(null, description);
    }
  }

  /** One caller thread; its counters are read only after it has ended. */
  private static final class Caller implements Runnable {
    final Call call;
    final Shared shared;
    final boolean fixedRate;
    final Histogram latencies = new Histogram(3);
    final long[] perSecond;
    Thread thread;
    long calls;
    long errors;

    /** Bytes this thread allocated from its first measured call to its end; -1 if unknown. */
    long allocatedInWindow = -1;

    private long allocatedAtWindowStart = -1;

    Caller(Call call, Shared shared, boolean fixedRate) {
      this.call = call;
      this.shared = shared;
      this.fixedRate = fixedRate;
      this.perSecond = new long[shared.timeline.seconds()];
    }

    @Override
    public void run() {
      parkUntil(shared.start);
      if (fixedRate) {
        runFixedRate();
      } else {
        runClosedLoop();
      }
      if (allocatedAtWindowStart >= 0) {
        allocatedInWindow = AllocationMeter.currentThread() - allocatedAtWindowStart;
      } else if (AllocationMeter.currentThread() >= 0) {
        allocatedInWindow = 0; // no call of this thread fell in the window
      }
    }

    private void runClosedLoop() {
      for (long sent = System.nanoTime(); sent < shared.windowEnd; sent = System.nanoTime()) {
        callOnce(sent, sent >= shared.windowStart);
      }
    }

    private void runFixedRate() {
      while (true) {
        long due =
            shared.start + (long) (shared.nextTicket.getAndIncrement() * shared.nanosPerCall);
        if (due >= shared.windowEnd) {
          return;
        }
        if (System.nanoTime() - shared.windowEnd > GRACE_NANOS) {
          // Hopelessly behind: this call can no longer be sent meaningfully. Count it and move
          // on to the next ticket, which drains the rest of the schedule without sending.
          if (due >= shared.windowStart) {
            shared.unsent.incrementAndGet();
          }
          shared.failure(
              "fixed rate not sustained: calls still due "
                  + GRACE_NANOS / 1_000_000_000
                  + " s after the window were not sent");
          continue;
        }
        parkUntil(due);
        callOnce(due, due >= shared.windowStart);
      }
    }

    /** Sends one call and, if {@code measured}, records its latency from {@code origin}. */
    private void callOnce(long origin, boolean measured) {
      if (measured && allocatedAtWindowStart < 0) {
        allocatedAtWindowStart = AllocationMeter.currentThread();
      }
      try {
        call.run();
        long done = System.nanoTime();
        if (measured) {
          latencies.recordValue(Math.max(0, done - origin));
          calls++;
        }
        if (perSecond.length > 0) {
          long second = (done - shared.timeline.originNanos()) / 1_000_000_000L;
          if (second >= 0 && second < perSecond.length) {
            perSecond[(int) second]++;
          }
        }
      } catch (Exception e) {
        if (measured) {
          errors++;
        }
        shared.failure(e.toString());
      }
    }

    private static void parkUntil(long deadline) {
      for (long left = deadline - System.nanoTime();
          left > 0;
          left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }
  }
}
