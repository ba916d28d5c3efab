/**
 * Mutual TLS between mesh peers, as JDK types. Applications set a {@link
 * dev.meshwork.core.security.PeerSecurity} (for example {@code MeshTls} from mesh-tls) and choose a
 * {@link dev.meshwork.core.security.TlsMode} per service. SPI for implementers of peer security:
 * {@code PeerSecurity} and the per-service {@link dev.meshwork.core.security.ClientTls} it makes,
 * which transports use to dial; {@link dev.meshwork.core.security.CertificateInfo} and {@link
 * dev.meshwork.core.security.CertificateSummary} describe the certificates in use.
 */
package dev.meshwork.core.security;
