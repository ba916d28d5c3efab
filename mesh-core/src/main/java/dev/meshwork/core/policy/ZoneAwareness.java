package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.LoadBalancer;

/**
 * Whether calls to a service prefer endpoints in the caller's zone ({@code
 * Mesh.builder().localZone(...)}), and when they spill over to other zones.
 *
 * <p>While at least {@code minHealthyPercent} of the service's endpoints in the local zone are
 * usable (neither ejected nor failing health checks), every call stays in the zone. Below that, the
 * local zone keeps {@code healthy% / minHealthyPercent} of the calls and the rest goes to the other
 * zones, spread by the balancer over their usable endpoints, so each zone gets a share in
 * proportion to its healthy endpoints. With the default 70%, 5 of 10 local endpoints healthy keep
 * 71% of calls local; none healthy sends everything away. This is Envoy's priority spill-over with
 * its 1.4 over-provisioning factor (100/1.4 = 71.4%), applied to zones as Istio's locality failover
 * does.
 *
 * <p>No effect when the mesh has no local zone, when the service is in panic mode (too few healthy
 * endpoints: balance over all of them), and for balancers whose point is that a key keeps its
 * endpoint ({@link LoadBalancer#keepsKeysOnEndpoints()}: ring hash, Maglev). Endpoints without a
 * zone count as another zone.
 *
 * <p>Default: {@link #defaults()}, on with 70%; {@link #disabled()} opts a service out.
 */
public final class ZoneAwareness {
  private static final ZoneAwareness DEFAULTS = new ZoneAwareness(true, 70);
  private static final ZoneAwareness DISABLED = new ZoneAwareness(false, 70);

  private final boolean enabled;
  private final double minHealthyPercent;

  private ZoneAwareness(boolean enabled, double minHealthyPercent) {
    this.enabled = enabled;
    this.minHealthyPercent = minHealthyPercent;
  }

  /** On, staying local while at least 70% of the local zone's endpoints are healthy. */
  public static ZoneAwareness defaults() {
    return DEFAULTS;
  }

  /** Off: calls balance over every zone alike. */
  public static ZoneAwareness disabled() {
    return DISABLED;
  }

  /**
   * On, staying local while at least {@code minHealthyPercent} (above 0, at most 100) of the local
   * zone's endpoints are healthy.
   *
   * @throws MeshConfigException when the percentage is out of range
   */
  public static ZoneAwareness minHealthyPercent(double minHealthyPercent) {
    if (!(minHealthyPercent > 0 && minHealthyPercent <= 100)) {
      throw new MeshConfigException(
          "zoneAware minHealthyPercent",
          minHealthyPercent,
          "a percentage above 0 and at most 100, such as 70");
    }
    return new ZoneAwareness(true, minHealthyPercent);
  }

  public boolean enabled() {
    return enabled;
  }

  /** The share of the local zone's endpoints that must be healthy for all calls to stay local. */
  public double minHealthyPercent() {
    return minHealthyPercent;
  }

  /**
   * The fraction of calls that stay in the local zone when {@code healthy} of its {@code total}
   * endpoints are usable: 1 at or above the threshold, proportionally less below it.
   */
  public double localShare(int healthy, int total) {
    if (total == 0 || healthy == 0) {
      return 0;
    }
    return Math.min(1.0, healthy * 100.0 / total / minHealthyPercent);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ZoneAwareness that
        && enabled == that.enabled
        && minHealthyPercent == that.minHealthyPercent;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(enabled) * 31 + Double.hashCode(minHealthyPercent);
  }

  @Override
  public String toString() {
    return enabled
        ? "ZoneAwareness{on, stay local while " + minHealthyPercent + "% healthy}"
        : "ZoneAwareness{disabled}";
  }
}
