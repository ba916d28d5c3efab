package dev.meshwork.core.internal;

import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.telemetry.CallTelemetry;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import dev.meshwork.core.internal.telemetry.ServiceTelemetry;

/**
 * Tells a service's ejections and returns to its meters (ejections per endpoint) and to its
 * decision consumers (span events, the admin decision log). Reads the service's telemetry at each
 * event, so consumers added after the detector was made still hear them.
 */
final class EjectionReport implements OutlierDetector.Listener {
  private final ServiceRuntime service;

  EjectionReport(ServiceRuntime service) {
    this.service = service;
  }

  @Override
  public void ejected(EndpointState endpoint, String why, AttemptState attempt) {
    ServiceTelemetry meters = service.attemptTelemetry();
    if (meters != null) {
      meters.ejected(endpoint);
    }
    report(endpoint, "ejected", why, attempt);
  }

  @Override
  public void returned(EndpointState endpoint) {
    report(endpoint, "returned", "is balanced again after its ejection", null);
  }

  /**
   * Asks about the attempt the event will go on (none for a sweep's), so a detail is built only
   * when kept.
   */
  private void report(EndpointState endpoint, String what, String why, AttemptState attempt) {
    CallTelemetry consumers = service.telemetry();
    if (consumers.records(attempt, DecisionKind.EJECTION)) {
      consumers.endpointEvent(
          service.service(),
          DecisionKind.EJECTION,
          endpoint.endpoint(),
          what + ": " + endpoint.address() + " " + why,
          attempt);
    }
  }
}
