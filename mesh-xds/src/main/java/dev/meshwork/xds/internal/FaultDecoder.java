package dev.meshwork.xds.internal;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.routing.Fault;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.Optional;

/** Envoy's HTTP fault filter configuration as a core {@link Fault}. */
final class FaultDecoder {
  private FaultDecoder() {}

  /** The fault {@code config} injects; empty when it injects none. */
  static Optional<Fault> decode(HTTPFault config, Fields fields, String at) {
    Fault.Builder fault = Fault.builder();
    boolean any = false;
    if (config.hasDelay()) {
      Fields delay = fields.child("delay");
      if (!config.getDelay().hasFixedDelay()) {
        throw new XdsRejection(at + " delay", "only fixed delays are supported (not header_delay)");
      }
      delay.use("fixed_delay", "percentage");
      fault.delay(
          Matchers.duration(config.getDelay().getFixedDelay()),
          Matchers.percent(config.getDelay().getPercentage()));
      any = true;
    }
    if (config.hasAbort()) {
      Fields abort = fields.child("abort");
      if (!config.getAbort().hasHttpStatus()) {
        throw new XdsRejection(
            at + " abort",
            "only http_status aborts are supported (not grpc_status or header_abort)");
      }
      abort.use("http_status", "percentage");
      fault.abortStatus(
          config.getAbort().getHttpStatus(), Matchers.percent(config.getAbort().getPercentage()));
      any = true;
    }
    if (config.getHeadersCount() > 0) {
      HeaderMatcher header = config.getHeaders(0);
      if (config.getHeadersCount() > 1
          || header.getHeaderMatchSpecifierCase()
              != HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
          || !header.getPresentMatch()
          || header.getInvertMatch()) {
        throw new XdsRejection(
            at + " headers",
            "only one header that must be present is supported as a fault trigger");
      }
      fields.use("headers");
      fault.onlyWithHeader(header.getName());
    }
    fields.unsupported("max_active_faults", "Meshwork does not bound concurrent faults");
    try {
      return any ? Optional.of(fault.build()) : Optional.empty();
    } catch (MeshConfigException e) {
      throw new XdsRejection(at, e.getMessage());
    }
  }
}
