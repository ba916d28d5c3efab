package dev.meshwork.core.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One discovery source's watch of one service, and the listener it publishes to. A service has one
 * in use and, after a config swap changed its source, possibly one pending: {@link
 * ServiceDiscovery} decides whose answers count. Answers from a watch that is neither are dropped,
 * so a closed or superseded source can never overwrite the endpoints.
 */
public final class ServiceSource implements DiscoveryListener {
  private final ServiceRuntime runtime;
  private final DiscoverySource source;
  private final AtomicReference<DiscoveryHealth> health;
  private volatile Watch watch;

  /** The source's latest answer, or {@code null} before its first. */
  private volatile EndpointSnapshot latest;

  /** Failures since the last answer; guarded by this object's lock. */
  private int failures;

  /** Failures not yet reported in a warning, and when the last warning was; guarded by this. */
  private int unreported;

  private long lastWarningNanos;

  ServiceSource(ServiceRuntime runtime, DiscoverySource source) {
    this.runtime = runtime;
    this.source = source;
    this.health = new AtomicReference<>(DiscoveryHealth.waiting(source.describe()));
  }

  /** Starts the watch; a source may answer before this returns. */
  void start(ServiceName service, DiscoveryContext context) {
    watch = source.watch(service, this, context);
  }

  DiscoverySource source() {
    return source;
  }

  /** The latest answer, or {@code null} before the first. */
  EndpointSnapshot latest() {
    return latest;
  }

  @Override
  public void onSnapshot(EndpointSnapshot snapshot) {
    if (!snapshot.service().equals(runtime.service())) {
      onError(
          new MeshConfigException(
              "snapshot service",
              snapshot.service(),
              "'" + runtime.service() + "', the service this source was asked to watch"));
      return;
    }
    health.updateAndGet(h -> h.answered(runtime.clock().now()));
    latest = snapshot;
    runtime.discovery().answered(this, snapshot);
  }

  @Override
  public void onError(Throwable error) {
    health.updateAndGet(h -> h.failed(runtime.clock().now(), String.valueOf(error.getMessage())));
    runtime.discovery().failed(this, error);
  }

  /**
   * Counts a failure; returns how many failures the warning due now reports (this one included), or
   * 0 when a warning for this streak was written less than {@code quiet} ago. The first failure
   * after an answer is always reported.
   */
  synchronized int failureToReport(long nowNanos, Duration quiet) {
    failures++;
    unreported++;
    if (failures > 1 && nowNanos - lastWarningNanos < quiet.toNanos()) {
      return 0;
    }
    lastWarningNanos = nowNanos;
    int reported = unreported;
    unreported = 0;
    return reported;
  }

  /** Ends a failure streak with an answer; returns how many failures it had. */
  synchronized int answeredAfterFailures() {
    int streak = failures;
    failures = 0;
    unreported = 0;
    return streak;
  }

  /** The watch's own health report when it has one, else what the callbacks said. */
  DiscoveryHealth health() {
    Watch current = watch;
    DiscoveryHealth own = current == null ? null : current.health().orElse(null);
    return own != null ? own : health.get();
  }

  /**
   * Waits until every snapshot the service received so far is in use (or replaced by a later one in
   * use). False when {@code timeout} passed first.
   */
  public boolean awaitUpdates(Duration timeout) throws InterruptedException {
    return runtime.awaitUpdates(timeout);
  }

  /** Stops the watch. Idempotent. */
  void close() {
    Watch current = watch;
    if (current != null) {
      try {
        current.close();
      } catch (RuntimeException e) {
        ServiceRuntime.log.warn(
            "service '{}': closing discovery {} failed: {}",
            runtime.service(),
            source.describe(),
            e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "discovery " + source.describe() + " of service '" + runtime.service() + "'";
  }
}
