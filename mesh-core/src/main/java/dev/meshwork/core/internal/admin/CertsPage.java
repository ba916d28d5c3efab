package dev.meshwork.core.internal.admin;

import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.security.CertificateInfo;
import dev.meshwork.core.security.CertificateSummary;
import dev.meshwork.core.security.ClientTls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /certs}: the identity this workload presents, its chain and trust anchors with their
 * validity and the seconds left on the leaf, and per service the TLS mode and the peers it
 * accepts. Services that present the same certificate (the usual case: one source per mesh) are
 * listed under one entry. Certificates are described, never encoded, and keys never leave the
 * TLS layer.
 */
final class CertsPage implements AdminPage {
  private final AdminContext context;

  CertsPage(AdminContext context) {
    this.context = context;
  }

  @Override
  public AdminResponse render() {
    Instant now = context.clock().now();
    Map<CertificateInfo, List<String>> presented = new LinkedHashMap<>();
    for (ServiceRuntime service : context.services()) {
      ClientTls tls = service.clientTls();
      if (tls != null) {
        tls.certificate().ifPresent(info ->
            presented.computeIfAbsent(info, i -> new ArrayList<>()).add(service.service().value()));
      }
    }
    JsonWriter json = new JsonWriter().beginObject()
        .field("time", now)
        .field("localIdentity", context.security() == null ? null : context.security().localIdentity());
    json.name("certificates").beginArray();
    presented.forEach((info, services) -> {
      json.beginObject()
          .strings("services", services)
          .field("identity", info.identity())
          .field("notAfter", info.notAfter())
          .field("secondsToExpiry", info.secondsToExpiry(now));
      summaries(json.name("chain"), info.chain());
      summaries(json.name("trustAnchors"), info.trustAnchors());
      json.endObject();
    });
    json.endArray().name("services").beginArray();
    for (ServiceRuntime service : context.services()) {
      ClientTls tls = service.clientTls();
      json.beginObject()
          .field("name", service.service().value())
          .field("tls", tls == null ? "DISABLED" : "MUTUAL")
          .strings("expectedPeers", tls == null ? List.of() : new TreeSet<>(tls.expectedPeers()))
          .endObject();
    }
    return AdminResponse.json(json.endArray().endObject());
  }

  private static void summaries(JsonWriter json, List<CertificateSummary> certificates) {
    json.beginArray();
    for (CertificateSummary certificate : certificates) {
      json.beginObject()
          .field("subject", certificate.subject())
          .field("issuer", certificate.issuer())
          .field("serialNumber", certificate.serialNumber())
          .field("notBefore", certificate.notBefore())
          .field("notAfter", certificate.notAfter())
          .endObject();
    }
    json.endArray();
  }
}
