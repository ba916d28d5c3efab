package dev.meshwork.core.internal.outlier;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.OutlierState;
import dev.meshwork.core.policy.OutlierDetection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ejects failing endpoints of one service, the way Envoy's outlier detection does. Calls report
 * results lock-free; a streak reaching its threshold ejects at once, and the caller learns so from
 * the answer. {@link #sweep()}, run every interval on the mesh scheduler, returns endpoints whose
 * ejection ended and applies the success-rate and failure-percentage checks to the interval's
 * counts; what it changes goes to a {@link Listener} (telemetry) outside the lock. Ejection changes
 * are serialised by this object's lock and announced through {@code onChange}, which rebuilds the
 * set of endpoints calls may use.
 *
 * <p>Once maxEjectionPercent refuses an ejection, no ejection is tried again until one ends or the
 * endpoints change: the failing endpoint's streak keeps growing, and every further failure would
 * otherwise take the lock, count every endpoint and log. The refusal is logged once when it starts,
 * then at most once per endpoint per interval.
 */
public final class OutlierDetector {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  private final ServiceName service;
  private final OutlierDetection policy;
  private final MeshClock clock;
  private final Supplier<List<EndpointState>> endpoints;
  private final Runnable onChange;
  private final Listener listener;

  /**
   * Hears of the ejections and returns a {@linkplain #sweep() sweep} decides, after the candidates
   * were rebuilt. An ejection a result causes is the answer to that result's caller instead.
   */
  public interface Listener {
    /** A sweep ejected {@code endpoint}, saying {@code why}. */
    void ejected(EndpointState endpoint, String why);

    /** {@code endpoint}'s ejection ended. */
    void returned(EndpointState endpoint);
  }

  private record Ejection(EndpointState endpoint, String why) {}

  /**
   * maxEjectionPercent was reached in {@code endpoints} (the list itself: a new one means the
   * endpoints changed).
   */
  private record CapReached(List<EndpointState> endpoints, int ejected) {}

  private final long startNanos;

  /**
   * Set under the lock when the cap refuses an ejection, cleared when an ejection ends; read
   * lock-free by failures.
   */
  private volatile CapReached capReached;

  /**
   * Set when a config swap replaced this detector or turned detection off: calls still in flight
   * may report to it, but it ejects no more, and its sweeps stop.
   */
  private volatile boolean retired;

  public OutlierDetector(
      ServiceName service,
      OutlierDetection policy,
      MeshClock clock,
      Supplier<List<EndpointState>> endpoints,
      Runnable onChange,
      Listener listener) {
    this.service = service;
    this.policy = policy;
    this.clock = clock;
    this.endpoints = endpoints;
    this.onChange = onChange;
    this.listener = listener;
    this.startNanos = clock.nanoTime();
  }

  public OutlierDetection policy() {
    return policy;
  }

  /** Stops ejecting: the service's next detector, if any, takes over the endpoints' state. */
  public void retire() {
    retired = true;
  }

  /**
   * An attempt on {@code endpoint} got an answer with {@code status}.
   *
   * @return why this answer ejected the endpoint, or {@code null} when it stays
   */
  public String recordStatus(EndpointState endpoint, int status) {
    OutlierState state = endpoint.stats().outlier();
    if (status < 500) {
      state.recordSuccess();
      return null;
    }
    boolean gateway = status == 502 || status == 503 || status == 504;
    return afterFailure(endpoint, state.recordFailure(gateway), state, "answered " + status);
  }

  /**
   * An attempt on {@code endpoint} failed without an answer (connect error, reset, timeout).
   *
   * @return why this failure ejected the endpoint, or {@code null} when it stays
   */
  public String recordTransportFailure(EndpointState endpoint) {
    OutlierState state = endpoint.stats().outlier();
    return afterFailure(endpoint, state.recordFailure(true), state, "I/O failure");
  }

  private String afterFailure(
      EndpointState endpoint, int streak5xx, OutlierState state, String last) {
    int gatewayStreak = state.consecutiveGatewayFailures();
    if (streak5xx >= policy.consecutive5xx()) {
      return tryEject(endpoint, streak5xx + " consecutive 5xx or I/O failures, the last " + last);
    } else if (gatewayStreak >= policy.consecutiveGatewayFailures()) {
      return tryEject(endpoint, gatewayStreak + " consecutive gateway failures, the last " + last);
    }
    return null;
  }

  /** Ejects {@code endpoint} if allowed; returns why, or {@code null} when it stays. */
  private String tryEject(EndpointState endpoint, String reason) {
    if (retired) {
      return null;
    }
    CapReached cap = capReached;
    if (cap != null && cap.endpoints() == endpoints.get()) {
      if (!endpoint.stats().outlier().ejected()) {
        warnCapped(endpoint, reason, cap, false);
      }
      return null;
    }
    String why;
    synchronized (this) {
      why = ejectLocked(endpoint, reason, endpoints.get());
    }
    if (why != null) {
      onChange.run();
    }
    return why;
  }

  /** Returns ended ejections and runs the interval's statistical checks. Runs every interval. */
  public void sweep() {
    if (retired) {
      return;
    }
    boolean changed = false;
    List<EndpointState> returned = new ArrayList<>();
    List<Ejection> ejected = new ArrayList<>();
    synchronized (this) {
      List<EndpointState> all = endpoints.get();
      long now = clock.nanoTime();
      List<EndpointState> measured = new ArrayList<>(all.size());
      List<long[]> counts = new ArrayList<>(all.size());
      for (EndpointState endpoint : all) {
        OutlierState state = endpoint.stats().outlier();
        long[] interval = state.drainInterval();
        if (state.ejected()) {
          if (now - state.ejectedUntilNanos() >= 0) {
            state.restore();
            capReached = null;
            changed = true;
            returned.add(endpoint);
            log.info(
                "service '{}': endpoint {} returns to balancing after its ejection",
                service,
                endpoint);
          }
          continue;
        }
        state.healthyIntervalIfClean(interval);
        measured.add(endpoint);
        counts.add(interval);
      }
      successRateCheck(all, measured, counts, ejected);
      failurePercentageCheck(all, measured, counts, ejected);
      changed |= !ejected.isEmpty();
    }
    if (changed) {
      onChange.run();
    }
    returned.forEach(listener::returned);
    for (Ejection ejection : ejected) {
      listener.ejected(ejection.endpoint(), ejection.why());
    }
  }

  private void successRateCheck(
      List<EndpointState> all,
      List<EndpointState> measured,
      List<long[]> counts,
      List<Ejection> ejected) {
    if (!policy.successRateEnabled()) {
      return;
    }
    List<Integer> eligible = eligible(counts, policy.successRateRequestVolume());
    if (eligible.size() < policy.successRateMinimumHosts()) {
      return;
    }
    double sum = 0;
    for (int i : eligible) {
      sum += successRate(counts.get(i));
    }
    double mean = sum / eligible.size();
    double squares = 0;
    for (int i : eligible) {
      double d = successRate(counts.get(i)) - mean;
      squares += d * d;
    }
    double threshold =
        mean - policy.successRateStdevFactor() * Math.sqrt(squares / eligible.size());
    for (int i : eligible) {
      double rate = successRate(counts.get(i));
      if (rate < threshold) {
        ejectInSweep(
            measured.get(i),
            String.format(
                "success rate %.1f%% below the threshold %.1f%% (mean %.1f%%)",
                rate, threshold, mean),
            all,
            ejected);
      }
    }
  }

  private void failurePercentageCheck(
      List<EndpointState> all,
      List<EndpointState> measured,
      List<long[]> counts,
      List<Ejection> ejected) {
    if (!policy.failurePercentageEnabled()) {
      return;
    }
    List<Integer> eligible = eligible(counts, policy.failurePercentageRequestVolume());
    if (eligible.size() < policy.failurePercentageMinimumHosts()) {
      return;
    }
    for (int i : eligible) {
      double failed = 100 - successRate(counts.get(i));
      if (failed >= policy.failurePercentageThreshold()) {
        ejectInSweep(
            measured.get(i),
            String.format(
                "failure percentage %.1f%% at or above %.1f%%",
                failed, policy.failurePercentageThreshold()),
            all,
            ejected);
      }
    }
  }

  private void ejectInSweep(
      EndpointState endpoint, String reason, List<EndpointState> all, List<Ejection> ejected) {
    String why = ejectLocked(endpoint, reason, all);
    if (why != null) {
      ejected.add(new Ejection(endpoint, why));
    }
  }

  private static List<Integer> eligible(List<long[]> counts, int requestVolume) {
    List<Integer> eligible = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      if (counts.get(i)[0] >= requestVolume) {
        eligible.add(i);
      }
    }
    return eligible;
  }

  private static double successRate(long[] interval) {
    return 100.0 * (interval[0] - interval[1]) / interval[0];
  }

  /**
   * Ejects {@code endpoint} if allowed; returns what happened and why, or {@code null} when it
   * stays.
   */
  private String ejectLocked(EndpointState endpoint, String reason, List<EndpointState> all) {
    OutlierState state = endpoint.stats().outlier();
    if (state.ejected() || !all.contains(endpoint)) {
      return null;
    }
    int ejected = 0;
    for (EndpointState other : all) {
      if (other.stats().outlier().ejected()) {
        ejected++;
      }
    }
    int allowed = Math.max(1, (int) (all.size() * policy.maxEjectionPercent() / 100));
    if (ejected >= allowed) {
      CapReached cap = capReached;
      boolean starts = cap == null || cap.endpoints() != all;
      if (starts) {
        cap = new CapReached(all, ejected);
        capReached = cap;
      }
      warnCapped(endpoint, reason, cap, starts);
      return null;
    }
    long base = policy.baseEjectionTime().toNanos();
    long duration =
        Math.min(
            base * (state.ejections() + 1L), Math.max(base, policy.maxEjectionTime().toNanos()));
    state.eject(clock.nanoTime() + duration);
    String why =
        "for "
            + Duration.ofNanos(duration).toMillis()
            + " ms (ejection #"
            + state.ejections()
            + "): "
            + reason;
    log.warn("service '{}': endpoint {} ejected {}", service, endpoint, why);
    return why;
  }

  /**
   * Logs that the cap keeps {@code endpoint} in balancing: when the refusals {@code start}, else
   * once per endpoint per interval.
   */
  private void warnCapped(EndpointState endpoint, String reason, CapReached cap, boolean start) {
    long interval = Math.max(0, clock.nanoTime() - startNanos) / policy.interval().toNanos();
    boolean due = endpoint.stats().outlier().claimCapWarning(interval);
    if (start) {
      log.warn(
          "service '{}': maxEjectionPercent {}% reached ({} of {} endpoints ejected): endpoint {} stays in balancing"
              + " ({}); no ejection is tried until one ends or the endpoints change",
          service,
          policy.maxEjectionPercent(),
          cap.ejected(),
          cap.endpoints().size(),
          endpoint,
          reason);
    } else if (due) {
      log.warn(
          "service '{}': endpoint {} still not ejected ({}): maxEjectionPercent {}% reached ({} of {} endpoints"
              + " ejected); said at most once per endpoint per {} ms",
          service,
          endpoint,
          reason,
          policy.maxEjectionPercent(),
          cap.ejected(),
          cap.endpoints().size(),
          policy.interval().toMillis());
    }
  }
}
