package dev.meshwork.xds.internal;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster's upstream TLS context: mutual TLS with the workload certificate of a bootstrap
 * certificate provider, and the SPIFFE IDs (exact URI subject alternative names) the endpoints may
 * present. Anything that would verify peers less strictly than asked is refused.
 */
final class TlsDecoder {
  static final String TLS_TYPE = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

  /** The validation context fields Meshwork honours; any other one set is refused. */
  private static final Set<String> VALIDATION_FIELDS =
      Set.of(
          "ca_certificate_provider_instance",
          "match_subject_alt_names",
          "match_typed_subject_alt_names");

  /**
   * Mutual TLS for a cluster.
   *
   * @param certificateProvider the bootstrap certificate provider instance of the workload's
   *     identity
   * @param caProvider the instance of the roots peers are verified against; empty for the mesh's
   * @param identities the SPIFFE IDs the endpoints may present; empty for the mesh's default
   */
  record TlsSpec(String certificateProvider, Optional<String> caProvider, List<String> identities) {
    /** Refuses providers the mesh's identity does not come from. */
    void check(CertificateProviders providers, String at) {
      providers.require(certificateProvider, at + " tls_certificate_provider_instance");
      caProvider.ifPresent(ca -> providers.require(ca, at + " ca_certificate_provider_instance"));
    }
  }

  private TlsDecoder() {}

  // Istio and gRPC still send the deprecated certificate provider and SAN fields.
  @SuppressWarnings("deprecation")
  static Optional<TlsSpec> decode(Cluster cluster, Fields fields, String at) {
    if (!cluster.hasTransportSocket()) {
      return Optional.empty();
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
    String vat = at + " common_tls_context";
    CertificateValidationContext validation = CertificateValidationContext.getDefaultInstance();
    Optional<String> ca = Optional.empty();
    if (common.hasValidationContextCertificateProviderInstance()) {
      c.use("validation_context_certificate_provider_instance");
      ca = Optional.of(common.getValidationContextCertificateProviderInstance().getInstanceName());
    }
    if (common.hasCombinedValidationContext()) {
      CommonTlsContext.CombinedCertificateValidationContext combined =
          common.getCombinedValidationContext();
      c.use("combined_validation_context");
      if (combined.hasValidationContextSdsSecretConfig()
          || combined.hasValidationContextCertificateProvider()) {
        throw new XdsRejection(
            vat + ".combined_validation_context",
            "roots from SDS or a certificate provider plugin are not supported; Meshwork verifies"
                + " peers against a bootstrap certificate provider instance");
      }
      if (combined.hasValidationContextCertificateProviderInstance()) {
        ca =
            Optional.of(
                combined.getValidationContextCertificateProviderInstance().getInstanceName());
      }
      validation = combined.getDefaultValidationContext();
      vat += ".combined_validation_context.default_validation_context";
    } else if (common.hasValidationContext()) {
      c.use("validation_context");
      validation = common.getValidationContext();
      vat += ".validation_context";
    } else if (common.hasValidationContextSdsSecretConfig()
        || common.hasValidationContextCertificateProvider()) {
      throw new XdsRejection(
          vat, "roots from SDS or a certificate provider plugin are not supported");
    }
    for (FieldDescriptor field : validation.getAllFields().keySet()) {
      if (!VALIDATION_FIELDS.contains(field.getName())) {
        throw new XdsRejection(
            vat + "." + field.getName(),
            Fields.text(validation.getField(field))
                + " is not supported; Meshwork would verify peers less strictly than asked");
      }
    }
    if (validation.hasCaCertificateProviderInstance()) {
      ca = Optional.of(validation.getCaCertificateProviderInstance().getInstanceName());
    }
    List<String> identities = new ArrayList<>();
    for (int i = 0; i < validation.getMatchSubjectAltNamesCount(); i++) {
      identities.add(
          spiffeId(validation.getMatchSubjectAltNames(i), vat + ".match_subject_alt_names", i));
    }
    for (int i = 0; i < validation.getMatchTypedSubjectAltNamesCount(); i++) {
      SubjectAltNameMatcher san = validation.getMatchTypedSubjectAltNames(i);
      if (san.getSanType() != SubjectAltNameMatcher.SanType.URI) {
        throw new XdsRejection(
            vat + ".match_typed_subject_alt_names[" + i + "].san_type",
            san.getSanType() + " is not supported; Meshwork verifies URI SANs (SPIFFE IDs)");
      }
      identities.add(spiffeId(san.getMatcher(), vat + ".match_typed_subject_alt_names", i));
    }
    if (identities.isEmpty()) {
      c.note(
          "validation_context",
          "no subject alt name matcher",
          "Meshwork accepts only the SPIFFE ID derived from the service name");
    }
    return Optional.of(new TlsSpec(provider, ca, identities));
  }

  private static String spiffeId(StringMatcher matcher, String field, int index) {
    String at = field + "[" + index + "]";
    if (!Matchers.isExact(matcher)) {
      throw new XdsRejection(
          at,
          "only exact SPIFFE IDs are supported, not "
              + (matcher.getIgnoreCase() ? "ignore_case " : "")
              + matcher.getMatchPatternCase());
    }
    if (!matcher.getExact().startsWith("spiffe://")) {
      throw new XdsRejection(
          at,
          "'" + matcher.getExact() + "' is not a SPIFFE ID; Meshwork verifies spiffe:// URI SANs");
    }
    return matcher.getExact();
  }
}
