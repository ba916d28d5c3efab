package dev.meshwork.core.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which discovery source a service's endpoints come from, across config swaps. One source is in
 * use; its answers go to the service. A swap that changes the source starts the new one at once,
 * but it is only pending: the endpoints of the source in use stay until the pending one answers for
 * the first time, and then it takes over and the old watch closes. A pending source that never
 * answers changes nothing; {@link #health} says so. Answers of any other watch are dropped.
 */
final class ServiceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);

  /** The least time between two warnings about one source's failures. */
  static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

  private final ServiceRuntime runtime;
  private final DiscoveryContext context;

  /** Takes an answer of the source in use to the service's endpoint updates. */
  private final Consumer<EndpointSnapshot> updates;

  /**
   * The source whose endpoints are in use; {@code null} before the first starts and once stopped.
   */
  private volatile ServiceSource active;

  /**
   * The source of the generation in force while it differs from {@link #active}, or {@code null}.
   */
  private volatile ServiceSource pending;

  ServiceDiscovery(
      ServiceRuntime runtime, DiscoveryContext context, Consumer<EndpointSnapshot> updates) {
    this.runtime = runtime;
    this.context = context;
    this.updates = updates;
  }

  /** Starts the service's first source, whose answers count at once. */
  void start(DiscoverySource source) {
    ServiceSource first = new ServiceSource(runtime, source);
    synchronized (this) {
      active = first;
    }
    first.start(runtime.service(), context);
  }

  /**
   * Starts watching {@code source} for a generation being prepared, unless the source in use or the
   * pending one is equal to it. Its answers count only once {@link #follow} made it pending.
   * Returns the started source, or {@code null} when none was needed.
   */
  ServiceSource prepare(DiscoverySource source) {
    ServiceSource inUse = active;
    ServiceSource waiting = pending;
    if ((inUse != null && inUse.source().equals(source))
        || (waiting != null && waiting.source().equals(source))) {
      return null;
    }
    ServiceSource started = new ServiceSource(runtime, source);
    started.start(runtime.service(), context);
    return started;
  }

  /**
   * The generation configured with {@code configured} is now in force: {@code started}, when not
   * {@code null}, becomes the pending source (and takes over at once if it has answered); a pending
   * source that is no longer configured closes.
   */
  void follow(DiscoverySource configured, ServiceSource started) {
    ServiceSource closed = null;
    ServiceSource superseded = null;
    synchronized (this) {
      if (started != null) {
        closed = pending;
        pending = started;
        superseded = promoteIfAnswered();
      } else if (pending != null && !pending.source().equals(configured)) {
        // Back to the source in use before the pending one answered.
        closed = pending;
        pending = null;
      }
    }
    close(closed);
    close(superseded);
  }

  /** Makes the pending source the one in use if it has answered; returns the one it replaces. */
  private ServiceSource promoteIfAnswered() {
    EndpointSnapshot answer = pending.latest();
    if (answer == null) {
      return null;
    }
    ServiceSource replaced = active;
    active = pending;
    pending = null;
    updates.accept(answer);
    log.info(
        "service '{}': discovery {} answered and is in use; {} closed",
        runtime.service(),
        active.source().describe(),
        replaced == null ? "nothing" : replaced.source().describe());
    return replaced;
  }

  /** A source's answer: used from the source in use, or from the pending one, which takes over. */
  void answered(ServiceSource from, EndpointSnapshot snapshot) {
    int streak = from.answeredAfterFailures();
    if (streak > 0) {
      log.info(
          "service '{}': discovery {} answers again after {} failed {}",
          runtime.service(),
          from.source().describe(),
          streak,
          streak == 1 ? "attempt" : "attempts");
    }
    ServiceSource superseded = null;
    synchronized (this) {
      if (from == active) {
        updates.accept(snapshot);
      } else if (from == pending) {
        superseded = promoteIfAnswered();
      }
    }
    close(superseded);
  }

  /**
   * Logs a failure of a source whose endpoints are in use or awaited: the first of a streak as a
   * warning, then at most one warning per {@link #WARNING_INTERVAL} that counts the failures since
   * the last one (a source that retries every second must not write a warning every second); the
   * others at debug level.
   */
  void failed(ServiceSource from, Throwable error) {
    ServiceSource inUse = active;
    if (from != inUse && from != pending) {
      return;
    }
    int toReport = from.failureToReport(runtime.clock().nanoTime(), WARNING_INTERVAL);
    ServiceName service = runtime.service();
    int endpoints = runtime.endpointSet().states().size();
    String repeated = toReport > 1 ? " (" + toReport + " failures since the last warning)" : "";
    if (toReport == 0) {
      log.debug(
          "service '{}': discovery {} failed again: {}",
          service,
          from.source().describe(),
          error.toString());
    } else if (from == inUse) {
      log.warn(
          "service '{}': discovery {} failed, keeping the last {} endpoints: {}{}",
          service,
          from.source().describe(),
          endpoints,
          error.toString(),
          repeated);
    } else {
      log.warn(
          "service '{}': the new discovery {} failed before its first answer; the {} endpoints of"
              + " {} stay in use: {}{}",
          service,
          from.source().describe(),
          endpoints,
          inUse == null ? "no source" : inUse.source().describe(),
          error.toString(),
          repeated);
    }
  }

  /** Closes a source started for a generation that was not installed. */
  static void abandon(ServiceSource source) {
    close(source);
  }

  /** Closes every watch; no answer counts afterwards. */
  void stop() {
    ServiceSource inUse;
    ServiceSource waiting;
    synchronized (this) {
      inUse = active;
      waiting = pending;
      active = null;
      pending = null;
    }
    close(waiting);
    close(inUse);
  }

  private static void close(ServiceSource source) {
    if (source != null) {
      source.close();
    }
  }

  /** The description of the source whose endpoints are in use, or of {@code configured}. */
  String description(DiscoverySource configured) {
    ServiceSource inUse = active;
    return (inUse == null ? configured : inUse.source()).describe();
  }

  /**
   * The health of the source in use: its own report when it has one, else what its callbacks said.
   * While a new source is pending: its status and error, with the age of the endpoints in use.
   */
  DiscoveryHealth health(DiscoverySource configured) {
    ServiceSource inUse = active;
    ServiceSource waiting = pending;
    if (inUse == null) {
      return DiscoveryHealth.waiting(configured.describe());
    }
    DiscoveryHealth health = inUse.health();
    if (waiting == null) {
      return health;
    }
    DiscoveryHealth next = waiting.health();
    return new DiscoveryHealth(
        next.source()
            + " (not answered yet; the endpoints of "
            + health.source()
            + " stay in use until it does)",
        next.status(),
        health.lastGoodAnswer(),
        next.lastErrorAt(),
        next.lastError(),
        next.parts());
  }
}
