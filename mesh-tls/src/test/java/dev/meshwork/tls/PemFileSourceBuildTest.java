package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.PemFixture.Leaf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at build time: each case is refused with a {@link MeshConfigException} whose field and
 * value name the file at fault and whose message says why.
 */
class PemFileSourceBuildTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  ManualClock clock;
  ManualScheduler scheduler;
  PemFixture pki;

  @BeforeEach
  void setUp() throws Exception {
    clock = new ManualClock(NOW);
    scheduler = new ManualScheduler(clock);
    pki = new PemFixture(dir, NOW);
    pki.write(pki.newLeaf());
  }

  @Test
  void missingFile() throws Exception {
    Files.delete(pki.keyFile);
    assertRefused("key file", pki.keyFile, "does not exist");
  }

  @Test
  void directoryInsteadOfAFile() throws Exception {
    Files.delete(pki.bundleFile);
    Files.createDirectory(pki.bundleFile);
    assertRefused("trust bundle file", pki.bundleFile, "not a regular file");
  }

  @Test
  void malformedPem() throws Exception {
    String text = Files.readString(pki.chainFile);
    Files.writeString(pki.chainFile, text.substring(0, text.length() / 2));
    assertRefused("certificate chain file", pki.chainFile, "malformed");
  }

  @Test
  void keyOfAnotherCertificate() throws Exception {
    PemFixture.writeKey(pki.keyFile, pki.newLeaf().keys().getPrivate());
    assertRefused("key file", pki.keyFile, "the private key of the leaf");
  }

  @Test
  void keyOfAnUnsupportedType() throws Exception {
    KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    CertBuilder builder = pki.intermediate.leafBuilder(PemFixture.MATHOID).keys(ed25519);
    pki.write(new Leaf(builder.build(), ed25519));
    assertRefused("key file", pki.keyFile, "an EC or RSA private key (found a key of type");
  }

  @Test
  void weakRsaKey() throws Exception {
    KeyPair weak = CertBuilder.newRsaKeys(1024);
    CertBuilder builder = pki.intermediate.leafBuilder(PemFixture.MATHOID).keys(weak);
    pki.write(new Leaf(builder.build(), weak));
    assertRefused("key file", pki.keyFile, "at least 2048 bits (found 1024 bits)");
  }

  @Test
  void certificateInTheKeyFile() throws Exception {
    Files.copy(pki.chainFile, pki.keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertRefused("key file", pki.keyFile, "exactly one PEM private key block");
    PemFixture.writeCertificates(pki.keyFile, List.of(pki.root.certificate()));
    assertRefused("key file", pki.keyFile, "a private key (found a certificate)");
  }

  @Test
  void expiredLeaf() throws Exception {
    CertBuilder builder =
        pki.intermediate
            .leafBuilder(PemFixture.MATHOID)
            .validity(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(1)));
    pki.write(new Leaf(builder.build(), builder.subjectKeys()));
    assertRefused("certificate chain file", pki.chainFile, "expired at");
  }

  @Test
  void leafWithoutASpiffeId() throws Exception {
    CertBuilder builder =
        pki.intermediate
            .leafBuilder(PemFixture.MATHOID)
            .sans(new GeneralName(GeneralName.dNSName, "mathoid.example.org"));
    pki.write(new Leaf(builder.build(), builder.subjectKeys()));
    assertRefused(
        "certificate chain file",
        pki.chainFile,
        "an X.509-SVID as the first certificate [NO_URI_SAN]");
  }

  @Test
  void caCertificateAsTheLeaf() throws Exception {
    CertBuilder builder =
        pki.intermediate
            .leafBuilder(PemFixture.MATHOID)
            .basicConstraints(true, new BasicConstraints(true))
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign);
    pki.write(new Leaf(builder.build(), builder.subjectKeys()));
    assertRefused("certificate chain file", pki.chainFile, "[LEAF_IS_CA]");
  }

  @Test
  void chainFromAnotherCa() throws Exception {
    TestAuthority stranger = TestAuthority.root("Stranger", NOW);
    CertBuilder builder = stranger.leafBuilder(PemFixture.MATHOID);
    PemFixture.writeKey(pki.keyFile, builder.subjectKeys().getPrivate());
    PemFixture.writeCertificates(pki.chainFile, List.of(builder.build()));
    assertRefused("certificate chain file", pki.chainFile, "[UNTRUSTED_ROOT]");
  }

  @Test
  void leafInAnotherTrustDomainThanConfigured() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> builder().trustDomain(TrustDomain.of("other.org")).build());
    assertEquals(pki.chainFile.toString(), e.value());
    assertTrue(e.getMessage().contains("other.org"), e.getMessage());
  }

  @Test
  void nonCaCertificateInTheBundle() throws Exception {
    PemFixture.writeCertificates(
        pki.bundleFile, List.of(pki.root.certificate(), pki.newLeaf().certificate()));
    assertRefused("trust bundle file", pki.bundleFile, "only CA certificates");
  }

  @Test
  void missingSettingsAreNamed() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> PemFileSource.builder().keyFile(pki.keyFile).chainFile(pki.chainFile).build());
    assertEquals("PEM file source trust bundle file", e.field());
    MeshConfigException interval =
        assertThrows(
            MeshConfigException.class, () -> builder().pollInterval(Duration.ZERO).build());
    assertEquals("PEM file source poll interval", interval.field());
  }

  private PemFileSource.Builder builder() {
    return PemFileSource.builder()
        .keyFile(pki.keyFile)
        .chainFile(pki.chainFile)
        .trustBundleFile(pki.bundleFile)
        .scheduler(scheduler)
        .clock(clock);
  }

  private void assertRefused(String field, Path file, String reason) {
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> builder().build());
    assertEquals(field, e.field(), e.getMessage());
    assertEquals(file.toString(), e.value(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals(0, scheduler.pending(), "a refused build watches nothing");
  }
}
