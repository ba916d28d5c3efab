package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.spi.PeerSecurity.CertificateInfo;
import dev.meshwork.core.spi.PeerSecurity.CertificateSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /certs}: the identity this workload presents, its chain and trust anchors with their
 * validity and the seconds left on the leaf, and per service the TLS mode and the peers it accepts.
 * Services that present the same certificate (the usual case: one source per mesh) are listed under
 * one entry. Certificates are described, never encoded, and keys never leave the TLS layer.
 */
final class CertsPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;

  CertsPage(Supplier<MeshSnapshot> mesh) {
    this.mesh = mesh;
  }

  @Override
  public AdminResponse render() {
    MeshSnapshot snapshot = mesh.get();
    Instant now = snapshot.time();
    Map<CertificateInfo, List<String>> presented = new LinkedHashMap<>();
    for (MeshSnapshot.Service service : snapshot.services()) {
      service
          .certificate()
          .ifPresent(
              certificate ->
                  presented
                      .computeIfAbsent(certificate, i -> new ArrayList<>())
                      .add(service.name().value()));
    }
    ObjectNode json =
        Json.object()
            .put("time", Json.time(now))
            .put("localIdentity", snapshot.localIdentity().orElse(null));
    ArrayNode certificates = json.putArray("certificates");
    presented.forEach(
        (info, services) -> {
          ObjectNode node =
              Json.strings(certificates.addObject(), "services", services)
                  .put("identity", info.identity())
                  .put("notAfter", Json.time(info.notAfter()))
                  .put("secondsToExpiry", info.secondsToExpiry(now));
          summaries(node.putArray("chain"), info.chain());
          summaries(node.putArray("trustAnchors"), info.trustAnchors());
        });
    ArrayNode services = json.putArray("services");
    for (MeshSnapshot.Service service : snapshot.services()) {
      Json.strings(
          services
              .addObject()
              .put("name", service.name().value())
              .put("tls", service.tls() ? "MUTUAL" : "DISABLED"),
          "expectedPeers",
          service.tls() ? service.expectedPeers() : List.of());
    }
    return AdminResponse.json(json);
  }

  private static void summaries(ArrayNode json, List<CertificateSummary> certificates) {
    for (CertificateSummary certificate : certificates) {
      json.addObject()
          .put("subject", certificate.subject())
          .put("issuer", certificate.issuer())
          .put("serialNumber", certificate.serialNumber())
          .put("notBefore", Json.time(certificate.notBefore()))
          .put("notAfter", Json.time(certificate.notAfter()));
    }
  }
}
