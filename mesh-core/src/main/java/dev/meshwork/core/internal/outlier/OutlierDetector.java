package dev.meshwork.core.internal.outlier;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.OutlierState;
import dev.meshwork.core.internal.telemetry.CallTelemetry;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import dev.meshwork.core.resilience.OutlierDetection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ejects failing endpoints of one service, the way Envoy's outlier detection does. Calls report
 * results lock-free; a streak reaching its threshold ejects at once. {@link #sweep()}, run every
 * interval on the mesh scheduler, returns endpoints whose ejection ended and applies the
 * success-rate and failure-percentage checks to the interval's counts. Ejection changes are
 * serialised by this object's lock and announced through {@code onChange}, which rebuilds the
 * set of endpoints calls may use.
 */
public final class OutlierDetector {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  private final ServiceName service;
  private final OutlierDetection policy;
  private final MeshClock clock;
  private final Supplier<List<EndpointState>> endpoints;
  private final Runnable onChange;
  private final Supplier<CallTelemetry> telemetry;

  public OutlierDetector(ServiceName service, OutlierDetection policy, MeshClock clock,
      Supplier<List<EndpointState>> endpoints, Runnable onChange, Supplier<CallTelemetry> telemetry) {
    this.telemetry = telemetry;
    this.service = service;
    this.policy = policy;
    this.clock = clock;
    this.endpoints = endpoints;
    this.onChange = onChange;
  }

  public OutlierDetection policy() {
    return policy;
  }

  /** An attempt on {@code endpoint} got an answer with {@code status}. */
  public void recordStatus(EndpointState endpoint, int status) {
    OutlierState state = endpoint.stats().outlier();
    if (status < 500) {
      state.recordSuccess();
      return;
    }
    boolean gateway = status == 502 || status == 503 || status == 504;
    afterFailure(endpoint, state.recordFailure(gateway), state, "answered " + status);
  }

  /** An attempt on {@code endpoint} failed without an answer (connect error, reset, timeout). */
  public void recordTransportFailure(EndpointState endpoint) {
    OutlierState state = endpoint.stats().outlier();
    afterFailure(endpoint, state.recordFailure(true), state, "I/O failure");
  }

  private void afterFailure(EndpointState endpoint, int streak5xx, OutlierState state, String last) {
    int gatewayStreak = state.consecutiveGatewayFailures();
    if (streak5xx >= policy.consecutive5xx()) {
      tryEject(endpoint, streak5xx + " consecutive 5xx or I/O failures, the last " + last);
    } else if (gatewayStreak >= policy.consecutiveGatewayFailures()) {
      tryEject(endpoint, gatewayStreak + " consecutive gateway failures, the last " + last);
    }
  }

  private void tryEject(EndpointState endpoint, String reason) {
    boolean changed;
    synchronized (this) {
      changed = ejectLocked(endpoint, reason, endpoints.get());
    }
    if (changed) {
      onChange.run();
    }
  }

  /** Returns ended ejections and runs the interval's statistical checks. Runs every interval. */
  public void sweep() {
    boolean changed = false;
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
            changed = true;
            log.info("service '{}': endpoint {} returns to balancing after its ejection", service, endpoint);
            telemetry.get().endpointEvent(service, DecisionKind.EJECTION, endpoint.endpoint(),
                "returned to balancing after its ejection");
          }
          continue;
        }
        state.healthyIntervalIfClean(interval);
        measured.add(endpoint);
        counts.add(interval);
      }
      changed |= successRateCheck(all, measured, counts);
      changed |= failurePercentageCheck(all, measured, counts);
    }
    if (changed) {
      onChange.run();
    }
  }

  private boolean successRateCheck(List<EndpointState> all, List<EndpointState> measured, List<long[]> counts) {
    if (!policy.successRateEnabled()) {
      return false;
    }
    List<Integer> eligible = eligible(counts, policy.successRateRequestVolume());
    if (eligible.size() < policy.successRateMinimumHosts()) {
      return false;
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
    double threshold = mean - policy.successRateStdevFactor() * Math.sqrt(squares / eligible.size());
    boolean changed = false;
    for (int i : eligible) {
      double rate = successRate(counts.get(i));
      if (rate < threshold) {
        changed |= ejectLocked(measured.get(i), String.format("success rate %.1f%% below the threshold %.1f%% (mean %.1f%%)",
            rate, threshold, mean), all);
      }
    }
    return changed;
  }

  private boolean failurePercentageCheck(List<EndpointState> all, List<EndpointState> measured, List<long[]> counts) {
    if (!policy.failurePercentageEnabled()) {
      return false;
    }
    List<Integer> eligible = eligible(counts, policy.failurePercentageRequestVolume());
    if (eligible.size() < policy.failurePercentageMinimumHosts()) {
      return false;
    }
    boolean changed = false;
    for (int i : eligible) {
      double failed = 100 - successRate(counts.get(i));
      if (failed >= policy.failurePercentageThreshold()) {
        changed |= ejectLocked(measured.get(i), String.format("failure percentage %.1f%% at or above %.1f%%",
            failed, policy.failurePercentageThreshold()), all);
      }
    }
    return changed;
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

  private boolean ejectLocked(EndpointState endpoint, String reason, List<EndpointState> all) {
    OutlierState state = endpoint.stats().outlier();
    if (state.ejected() || !all.contains(endpoint)) {
      return false;
    }
    int ejected = 0;
    for (EndpointState other : all) {
      if (other.stats().outlier().ejected()) {
        ejected++;
      }
    }
    int allowed = Math.max(1, (int) (all.size() * policy.maxEjectionPercent() / 100));
    if (ejected >= allowed) {
      log.warn("service '{}': endpoint {} not ejected ({}): {} of {} endpoints already ejected, the most maxEjectionPercent {}% allows",
          service, endpoint, reason, ejected, all.size(), policy.maxEjectionPercent());
      return false;
    }
    long base = policy.baseEjectionTime().toNanos();
    long duration = Math.min(base * (state.ejections() + 1L), Math.max(base, policy.maxEjectionTime().toNanos()));
    state.eject(clock.nanoTime() + duration);
    log.warn("service '{}': endpoint {} ejected for {} ms (ejection #{}): {}", service, endpoint,
        Duration.ofNanos(duration).toMillis(), state.ejections(), reason);
    telemetry.get().endpointEvent(service, DecisionKind.EJECTION, endpoint.endpoint(),
        "ejected for " + Duration.ofNanos(duration).toMillis() + " ms (ejection #" + state.ejections() + "): " + reason);
    return true;
  }
}
