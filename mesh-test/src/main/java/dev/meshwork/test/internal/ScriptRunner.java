package dev.meshwork.test.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Plays one fake endpoint's script: which step is current, moved on by counted calls as they arrive
 * and by virtual time at each timed step's end (a task on the clock's scheduler, so a refusal
 * starts and ends even when no call comes). Steps that act on connections (refusing, presenting
 * another identity) are applied through {@link Connections} when they start and undone when they
 * end.
 */
public final class ScriptRunner {

  /** What the endpoint does to its connections. */
  public interface Connections {
    /** Starts ({@code true}) or stops listening; stopping also drops open connections. */
    void listening(boolean on);

    /** Presents the impostor identity ({@code true}) or its own on the next handshakes. */
    void impostor(boolean on);
  }

  private final LongSupplier clock;
  private final ScheduledExecutorService scheduler;
  private final Connections connections;
  private List<Step> steps = List.of(); // guarded by this
  private int index; // guarded by this; steps.size() once past the last step
  private int counted; // guarded by this
  private long stepStart; // guarded by this
  private ScheduledFuture<?> boundary; // guarded by this
  private boolean listening = true; // guarded by this
  private boolean impostor; // guarded by this
  private int calls; // guarded by this
  private int probes; // guarded by this
  private volatile CountDownLatch release = new CountDownLatch(1);

  public ScriptRunner(
      LongSupplier clock, ScheduledExecutorService scheduler, Connections connections) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.connections = connections;
  }

  /** Plays {@code script} from its first step, now; held calls of the last script are let go. */
  public synchronized void play(List<Step> script) {
    releaseHeld();
    this.steps = List.copyOf(script);
    enter(0, clock.getAsLong());
  }

  /**
   * The step for a call arriving now; a call (not a health-check probe) counts toward the step's
   * length.
   */
  public synchronized Step onCall(boolean probe) {
    catchUp();
    if (probe) {
      probes++;
    } else {
      calls++;
    }
    Step step = current();
    if (!probe && step.calls() > 0 && ++counted >= step.calls()) {
      enter(index + 1, clock.getAsLong());
    }
    return step;
  }

  /** Calls (not probes) received since the endpoint started. */
  public synchronized int calls() {
    return calls;
  }

  /** Health-check probes received since the endpoint started. */
  public synchronized int probes() {
    return probes;
  }

  /** The step in force now. */
  public synchronized Step current() {
    return index < steps.size() ? steps.get(index) : Step.healthy();
  }

  /** Holds the calling thread for up to {@code nanos} of real time, or until the script changes. */
  public void hold(long nanos) throws InterruptedException {
    release.await(nanos, TimeUnit.NANOSECONDS);
  }

  /** Lets go of every held call and stops the step timer; the endpoint is closing. */
  public synchronized void stop() {
    releaseHeld();
    if (boundary != null) {
      boundary.cancel(false);
    }
  }

  private void releaseHeld() {
    CountDownLatch held = release;
    release = new CountDownLatch(1);
    held.countDown();
  }

  /** Leaves timed steps whose time is up. */
  private void catchUp() {
    long now = clock.getAsLong();
    while (index < steps.size()) {
      Step step = steps.get(index);
      if (step.lengthNanos() == 0 || now - (stepStart + step.lengthNanos()) < 0) {
        return;
      }
      enter(index + 1, stepStart + step.lengthNanos());
    }
  }

  private void enter(int next, long at) {
    if (boundary != null) {
      boundary.cancel(false);
      boundary = null;
    }
    index = next;
    counted = 0;
    stepStart = at;
    Step step = current();
    apply(step);
    if (step.lengthNanos() > 0) {
      long remaining = at + step.lengthNanos() - clock.getAsLong();
      boundary = scheduler.schedule(this::timeUp, remaining, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void timeUp() {
    catchUp();
  }

  private void apply(Step step) {
    boolean listen = step.kind() != Step.Kind.REFUSE;
    if (listen != listening) {
      listening = listen;
      connections.listening(listen);
    }
    boolean wrong = step.kind() == Step.Kind.WRONG_IDENTITY;
    if (wrong != impostor) {
      impostor = wrong;
      connections.impostor(wrong);
    }
  }
}
