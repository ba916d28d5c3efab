package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;

/**
 * Active HTTP health checking of a service's endpoints: every {@code interval} the mesh sends
 * {@code GET path} to each endpoint directly (over mutual TLS when the service uses it), with
 * {@code timeout}. An answer from 200 to 399 is a pass. After {@code unhealthyThreshold} failed
 * probes in a row an endpoint leaves balancing; after {@code healthyThreshold} passes in a row it
 * returns. It combines with outlier detection: an endpoint takes traffic only when it is neither
 * ejected nor failing its checks, and panic mode counts both. Endpoints start healthy, so a mesh
 * that just started does not wait for a first round of probes.
 *
 * <p>Default {@link #disabled()}. Defaults once on: interval 5 s, timeout 1 s, 3 failures to leave,
 * 2 passes to return (Kubernetes probes and Envoy's usual settings).
 *
 * <pre>{@code
 * Mesh.builder().service("mathoid", s -> s
 *     .endpoints("10.64.0.11:10044", "10.64.0.12:10044")
 *     .healthCheck(HealthCheck.http("/healthz").interval(Duration.ofSeconds(2)).build()));
 * }</pre>
 */
public final class HealthCheck {
  private static final HealthCheck DISABLED = new HealthCheck(new Builder("/"), false);

  private final boolean enabled;
  private final String path;
  private final Duration interval;
  private final Duration timeout;
  private final int healthyThreshold;
  private final int unhealthyThreshold;

  private HealthCheck(Builder builder, boolean enabled) {
    this.enabled = enabled;
    this.path = builder.path;
    this.interval = builder.interval;
    this.timeout = builder.timeout;
    this.healthyThreshold = builder.healthyThreshold;
    this.unhealthyThreshold = builder.unhealthyThreshold;
  }

  /** No active checks: outlier detection alone watches the endpoints. The default. */
  public static HealthCheck disabled() {
    return DISABLED;
  }

  /** Starts a check of {@code GET path}; the path must start with {@code /}. */
  public static Builder http(String path) {
    return new Builder(path);
  }

  /** False for {@link #disabled()}. */
  public boolean enabled() {
    return enabled;
  }

  public String path() {
    return path;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  public int healthyThreshold() {
    return healthyThreshold;
  }

  public int unhealthyThreshold() {
    return unhealthyThreshold;
  }

  /**
   * Equal when every setting is equal; the mesh keeps a policy's live state across a config swap
   * only then.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof HealthCheck that
        && enabled == that.enabled
        && path.equals(that.path)
        && interval.equals(that.interval)
        && timeout.equals(that.timeout)
        && healthyThreshold == that.healthyThreshold
        && unhealthyThreshold == that.unhealthyThreshold;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, path, interval, timeout, healthyThreshold, unhealthyThreshold);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "HealthCheck{disabled}";
    }
    return "HealthCheck{GET "
        + path
        + " every "
        + interval.toMillis()
        + " ms, timeout "
        + timeout.toMillis()
        + " ms, unhealthy after "
        + unhealthyThreshold
        + ", healthy after "
        + healthyThreshold
        + "}";
  }

  /** Collects a health check; {@link #build()} validates it. */
  public static final class Builder {
    private final String path;
    private Duration interval = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(1);
    private int healthyThreshold = 2;
    private int unhealthyThreshold = 3;

    private Builder(String path) {
      this.path = path;
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder healthyThreshold(int passes) {
      this.healthyThreshold = passes;
      return this;
    }

    public Builder unhealthyThreshold(int failures) {
      this.unhealthyThreshold = failures;
      return this;
    }

    public HealthCheck build() {
      if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
        throw new MeshConfigException(
            "healthCheck path", path, "an absolute path such as /healthz, without spaces");
      }
      Validate.positive("healthCheck interval", interval);
      Validate.positive("healthCheck timeout", timeout);
      Validate.atLeast("healthCheck healthyThreshold", healthyThreshold, 1);
      Validate.atLeast("healthCheck unhealthyThreshold", unhealthyThreshold, 1);
      return new HealthCheck(this, true);
    }
  }
}
