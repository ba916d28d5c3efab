package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshwork.core.exception.MeshConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInCaPersistenceTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");

  @TempDir Path dir;
  ManualClock clock;
  BuiltInCa ca;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  }

  BuiltInCa.Builder loader() {
    return BuiltInCa.builder().clock(clock);
  }

  @Test
  void roundTripKeepsRootKeyAndTrustDomain() throws Exception {
    ca.saveTo(dir);
    BuiltInCa loaded = loader().leafLifetime(Duration.ofHours(2)).load(dir);
    assertEquals(ca.rootCertificate(), loaded.rootCertificate());
    assertEquals(DOMAIN, loaded.trustDomain(), "trust domain read from the root's URI SAN");
    assertEquals(Duration.ofHours(2), loaded.leafLifetime());
    // Signed by the loaded key, verified with the original root: the same key came back.
    IssuedIdentity identity = loaded.issue(MATHOID);
    identity.leaf().verify(ca.rootCertificate().getPublicKey());
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).clock(clock).build();
    assertEquals(MATHOID, verifier.verify(identity.chain(), PeerRole.SERVER));
  }

  @Test
  void keyFileIsReadableByItsOwnerOnly() throws Exception {
    ca.saveTo(dir);
    Path key = dir.resolve("ca-key.pem");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    Path certificate = dir.resolve("ca.pem");
    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(certificate)));
    assertTrue(Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----\n"));
  }

  @Test
  void saveCreatesAMissingDirectoryForTheOwnerOnly() throws Exception {
    Path nested = dir.resolve("mesh/ca");
    ca.saveTo(nested);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    assertEquals(ca.rootCertificate(), loader().load(nested).rootCertificate());
  }

  @Test
  void saveReplacesFilesByMoveLeavingNoTemporaryFiles() throws Exception {
    Path key = dir.resolve("ca-key.pem");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Object inodeBefore = inode(key);
    ca.saveTo(dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertNotEquals(inodeBefore, inode(key), "replaced by a new file, not rewritten in place");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("ca-key.pem", "ca.pem"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void loadRefusesADirectoryThatGroupOrOthersCanWrite() throws Exception {
    ca.saveTo(dir);
    for (String permissions : List.of("rwxrwx---", "rwx---rwx", "rwxrwxrwx")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
      MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
      assertEquals(
          "CA directory: '"
              + dir
              + "' is invalid; expected owned by "
              + user()
              + " and not writable by group or others (found owner "
              + user()
              + ", permissions "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))
              + ")",
          e.getMessage());
    }
  }

  @Test
  void saveRefusesAnExistingDirectoryThatOthersCanWrite() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> ca.saveTo(dir));
    assertTrue(e.getMessage().startsWith("CA directory: '" + dir + "' is invalid"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("ca-key.pem")), "nothing was written");
  }

  @Test
  void loadRefusesAKeyFileThatOthersCanReadOrWrite() throws Exception {
    ca.saveTo(dir);
    Path key = dir.resolve("ca-key.pem");
    for (String permissions : List.of("rw-r-----", "rw----r--", "rw-----w-", "rw-------")) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
      if (permissions.equals("rw-------")) {
        assertEquals(ca.rootCertificate(), loader().load(dir).rootCertificate());
        continue;
      }
      MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
      assertEquals(
          "CA key file: '"
              + key
              + "' is invalid; expected owned by "
              + user()
              + " and permissions rw------- (owner only) (found owner "
              + user()
              + ", permissions "
              + permissions
              + ")",
          e.getMessage());
    }
  }

  @Test
  void loadRefusesACertificateFileThatOthersCanWrite() throws Exception {
    ca.saveTo(dir);
    Path certificate = dir.resolve("ca.pem");
    Files.setPosixFilePermissions(certificate, PosixFilePermissions.fromString("rw-rw-r--"));
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().startsWith("CA certificate file: '" + certificate + "' is invalid"),
        e.getMessage());
    assertTrue(e.getMessage().contains("permissions rw-rw-r--"), e.getMessage());
  }

  /** Needs the right to give a file away (root, in practice); skipped otherwise. */
  @Test
  void loadRefusesADirectoryOrKeyOwnedByAnotherUser() throws Exception {
    ca.saveTo(dir);
    UserPrincipal me = Files.getOwner(dir);
    UserPrincipal nobody;
    try {
      nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(dir, nobody);
    } catch (IOException e) {
      assumeTrue(false, "cannot give a file to another user here: " + e);
      return;
    }
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().contains("found owner nobody, permissions rwx------"), e.getMessage());

    Files.setOwner(dir, me);
    Path key = dir.resolve("ca-key.pem");
    Files.setOwner(key, nobody);
    e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage()
            .startsWith("CA key file: '" + key + "' is invalid; expected owned by " + me.getName()),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("found owner nobody, permissions rw-------"), e.getMessage());
  }

  private static String user() {
    return System.getProperty("user.name");
  }

  @Test
  void loadOrCreateCreatesOnceThenLoads() throws Exception {
    BuiltInCa created = loader().trustDomain(DOMAIN).loadOrCreate(dir);
    assertTrue(Files.exists(dir.resolve("ca-key.pem")));
    BuiltInCa again = loader().loadOrCreate(dir);
    assertEquals(created.rootCertificate(), again.rootCertificate());
  }

  @Test
  void missingFileIsAnIoErrorNamingIt() {
    IOException e = assertThrows(IOException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().contains("CA certificate file") && e.getMessage().contains("ca.pem"),
        e.getMessage());
  }

  @Test
  void malformedKeyIsRefusedWithoutQuotingIt() throws Exception {
    ca.saveTo(dir);
    Path key = dir.resolve("ca-key.pem");
    String body = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg!!!secretish";
    Files.writeString(
        key, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().startsWith("CA key file: '" + key + "' is invalid; expected"),
        e.getMessage());
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    assertFalse(e.getMessage().contains("secretish"), "never echo key material");
  }

  @Test
  void emptyKeyFileIsRefused() throws Exception {
    ca.saveTo(dir);
    Files.writeString(dir.resolve("ca-key.pem"), "");
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(e.getMessage().contains("found no PEM block"), e.getMessage());
  }

  @Test
  void keyOfAnotherCaIsRefused() throws Exception {
    ca.saveTo(dir);
    Path elsewhere = dir.resolve("other");
    BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build().saveTo(elsewhere);
    Files.copy(
        elsewhere.resolve("ca-key.pem"),
        dir.resolve("ca-key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().contains("ca-key.pem") && e.getMessage().contains("the private key of"),
        e.getMessage());
  }

  @Test
  void rsaKeyIsRefused() throws Exception {
    ca.saveTo(dir);
    byte[] rsa = CertBuilder.newRsaKeys(2048).getPrivate().getEncoded();
    Files.writeString(
        dir.resolve("ca-key.pem"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(rsa)
            + "\n-----END PRIVATE KEY-----\n");
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(e.getMessage().contains("an EC P-256 private key (found RSA)"), e.getMessage());
  }

  @Test
  void ecKeyOnAnotherCurveIsRefused() throws Exception {
    ca.saveTo(dir);
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    byte[] p384 = generator.generateKeyPair().getPrivate().getEncoded();
    Files.writeString(
        dir.resolve("ca-key.pem"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(p384)
            + "\n-----END PRIVATE KEY-----\n");
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(e.getMessage().contains("(found EC on another curve)"), e.getMessage());
  }

  @Test
  void keyInTheCertificateFileIsRefused() throws Exception {
    ca.saveTo(dir);
    Files.copy(
        dir.resolve("ca-key.pem"),
        dir.resolve("ca.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().startsWith("CA certificate file: '" + dir.resolve("ca.pem")),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("only CERTIFICATE blocks (found a private key)"), e.getMessage());
  }

  @Test
  void trustDomainMustMatchWhenGiven() throws Exception {
    ca.saveTo(dir);
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> loader().trustDomain(TrustDomain.of("other.org")).load(dir));
    assertTrue(e.getMessage().contains("'other.org' (it is for 'example.org')"), e.getMessage());
  }

  @Test
  void expiredRootIsRefusedAtLoad() throws Exception {
    BuiltInCa.builder()
        .trustDomain(DOMAIN)
        .clock(clock)
        .rootLifetime(Duration.ofDays(1))
        .leafLifetime(Duration.ofHours(1))
        .build()
        .saveTo(dir);
    clock.advance(Duration.ofDays(2));
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> loader().load(dir));
    assertTrue(
        e.getMessage().contains("ca.pem") && e.getMessage().contains("expired at"), e.getMessage());
  }

  private static Object inode(Path file) throws IOException {
    try {
      return Files.getAttribute(file, "unix:ino");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      assumeTrue(false, "no unix:ino attribute on this file system");
      return null;
    }
  }
}
