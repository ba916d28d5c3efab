package dev.meshwork.xds.internal;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's upstream TLS context: mutual TLS with the workload certificate of a bootstrap
 * certificate provider, and the SPIFFE IDs (exact subject alternative names) the endpoints may
 * present.
 */
final class TlsDecoder {
  static final String TLS_TYPE = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

  /**
   * Mutual TLS for a cluster.
   *
   * @param certificateProvider the bootstrap certificate provider instance of the workload's
   *     identity
   * @param identities the SPIFFE IDs the endpoints may present; empty for the mesh's default
   */
  record TlsSpec(String certificateProvider, List<String> identities) {}

  private TlsDecoder() {}

  // Istio and gRPC still send the deprecated certificate provider and SAN fields.
  @SuppressWarnings("deprecation")
  static java.util.Optional<TlsSpec> decode(Cluster cluster, Fields fields, String at) {
    if (!cluster.hasTransportSocket()) {
      return java.util.Optional.empty();
    }
    Fields socket = fields.child("transport_socket");
    socket.use("name");
    if (!cluster.getTransportSocket().getTypedConfig().getTypeUrl().endsWith("/" + TLS_TYPE)) {
      throw new XdsRejection(
          at + " transport_socket",
          cluster.getTransportSocket().getTypedConfig().getTypeUrl()
              + " is not supported; Meshwork speaks plaintext or TLS");
    }
    UpstreamTlsContext upstream = socket.unpack("typed_config", UpstreamTlsContext.class);
    Fields context = socket.unpacked("typed_config");
    context.unsupported("sni", "Meshwork sends no SNI to mesh endpoints");
    CommonTlsContext common = upstream.getCommonTlsContext();
    Fields c = context.child("common_tls_context");
    String provider;
    if (common.hasTlsCertificateProviderInstance()) {
      c.use("tls_certificate_provider_instance");
      provider = common.getTlsCertificateProviderInstance().getInstanceName();
    } else if (common.hasTlsCertificateCertificateProviderInstance()) {
      c.use("tls_certificate_certificate_provider_instance");
      provider = common.getTlsCertificateCertificateProviderInstance().getInstanceName();
    } else {
      throw new XdsRejection(
          at + " transport_socket",
          "TLS without a workload certificate from a bootstrap certificate provider is not supported"
              + " (Meshwork speaks mutual TLS)");
    }
    CertificateValidationContext validation;
    Fields v;
    if (common.hasCombinedValidationContext()) {
      Fields combined = c.child("combined_validation_context");
      combined.use("validation_context_certificate_provider_instance");
      validation = common.getCombinedValidationContext().getDefaultValidationContext();
      v = combined.child("default_validation_context");
    } else if (common.hasValidationContext()) {
      validation = common.getValidationContext();
      v = c.child("validation_context");
    } else {
      c.use("validation_context_certificate_provider_instance");
      validation = CertificateValidationContext.getDefaultInstance();
      v = new Fields(validation, "");
    }
    v.use("ca_certificate_provider_instance");
    List<String> identities = new ArrayList<>();
    for (int i = 0; i < validation.getMatchSubjectAltNamesCount(); i++) {
      if (!Matchers.isExact(validation.getMatchSubjectAltNames(i))) {
        throw new XdsRejection(
            at + " match_subject_alt_names[" + i + "]",
            "only exact SPIFFE IDs are supported, not "
                + validation.getMatchSubjectAltNames(i).getMatchPatternCase());
      }
      identities.add(validation.getMatchSubjectAltNames(i).getExact());
    }
    v.use("match_subject_alt_names");
    return java.util.Optional.of(new TlsSpec(provider, identities));
  }
}
