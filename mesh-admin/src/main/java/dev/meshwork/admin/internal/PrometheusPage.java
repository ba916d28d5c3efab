package dev.meshwork.admin.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code /metrics}: the mesh's meters in the Prometheus text format, scraped from the {@link
 * PrometheusMeterRegistry} the application gave the mesh's telemetry (directly or inside a
 * composite). This class links against micrometer-registry-prometheus, an optional dependency:
 * {@link MetricsPages} loads it only after checking the library is there.
 */
final class PrometheusPage implements AdminPage {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  private PrometheusPage(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** The page for {@code registry}, or {@code null} when it holds no Prometheus registry. */
  static AdminPage of(MeterRegistry registry) {
    PrometheusMeterRegistry prometheus = find(registry);
    return prometheus == null ? null : new PrometheusPage(prometheus);
  }

  private static PrometheusMeterRegistry find(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry part : composite.getRegistries()) {
        PrometheusMeterRegistry found = find(part);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public AdminResponse render() {
    return AdminResponse.text(200, CONTENT_TYPE, registry.scrape());
  }
}
