package dev.meshwork.admin.internal;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decides what {@code /metrics} serves: the Prometheus scrape when the telemetry's registry is (or
 * contains) a {@code PrometheusMeterRegistry}, else a 404 that says how to turn it on. Kept apart
 * from {@link PrometheusPage} so that the optional Prometheus library is loaded only when present.
 */
final class MetricsPages {
  private static final String PROMETHEUS_REGISTRY =
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  private MetricsPages() {}

  static AdminPage forRegistry(MeterRegistry registry) {
    if (registry != null && prometheusPresent()) {
      AdminPage page = PrometheusPage.of(registry);
      if (page != null) {
        return page;
      }
    }
    return () ->
        AdminResponse.error(
            404,
            "no Prometheus registry: add io.micrometer:micrometer-registry-prometheus and"
                + " give the mesh a PrometheusMeterRegistry with Telemetry.builder().meterRegistry(...)");
  }

  private static boolean prometheusPresent() {
    try {
      Class.forName(PROMETHEUS_REGISTRY, false, MetricsPages.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
