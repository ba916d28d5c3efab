package dev.meshwork.core.internal.resilience;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service's bound on attempts in flight. An attempt takes a slot or, when all are taken, waits
 * for one among at most {@code maxPending} others, for no longer than its bound; beyond that it is
 * refused at once. Nothing ever queues without bound.
 */
public final class ServiceLimiter {
  private final ServiceName service;
  private final ConcurrencyLimits limits;
  private final Semaphore slots;
  private final AtomicInteger pending = new AtomicInteger();

  public ServiceLimiter(ServiceName service, ConcurrencyLimits limits) {
    this.service = service;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxRequests());
  }

  /**
   * Takes a slot for {@code attempt}; when every slot is taken, waits at most the attempt's
   * timeout, or its connect timeout when it has none. Call {@link #release()} once the attempt
   * ends.
   */
  public void acquire(AttemptContext attempt)
      throws MeshException.ConcurrencyLimited, InterruptedIOException {
    if (slots.tryAcquire()) {
      return;
    }
    long bound = attempt.timeoutNanos();
    long waitNanos = bound == Long.MAX_VALUE ? attempt.connectTimeoutNanos() : bound;
    if (pending.incrementAndGet() > limits.maxPending()) {
      pending.decrementAndGet();
      throw new MeshException.ConcurrencyLimited(
          service,
          null,
          "limit reached: maxRequests "
              + limits.maxRequests()
              + " in flight and maxPending "
              + limits.maxPending()
              + " waiting");
    }
    try {
      if (!slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
        throw new MeshException.ConcurrencyLimited(
            service,
            null,
            "limit reached: waited "
                + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                + " ms for one of maxRequests "
                + limits.maxRequests()
                + " slots");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException(
              "interrupted waiting for a request slot of service '" + service + "'");
      interrupted.initCause(e);
      throw interrupted;
    } finally {
      pending.decrementAndGet();
    }
  }

  public void release() {
    slots.release();
  }

  /** Attempts in flight now. */
  public int inFlight() {
    return limits.maxRequests() - slots.availablePermits();
  }
}
