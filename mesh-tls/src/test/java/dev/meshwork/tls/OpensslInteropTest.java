package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in CA's files are read and accepted by the real OpenSSL, so peers outside the JVM
 * (nginx, curl, Go services) can use them. Verification runs at the manual clock's instant via
 * {@code -attime}, so the test does not depend on the machine's date.
 */
class OpensslInteropTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");

  static String openssl;

  @TempDir Path dir;
  BuiltInCa ca;
  Path leafFile;

  @BeforeAll
  static void findOpenssl() {
    for (String candidate : List.of("/usr/bin/openssl", "/usr/local/bin/openssl")) {
      if (Files.isExecutable(Path.of(candidate))) {
        openssl = candidate;
      }
    }
    assumeTrue(openssl != null, "openssl is not installed");
  }

  @BeforeEach
  void writeCaAndLeaf() throws Exception {
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(new ManualClock(NOW)).build();
    ca.saveTo(dir);
    leafFile = dir.resolve("leaf.pem");
    Files.writeString(leafFile, pem(ca.issue(MATHOID).leaf().getEncoded()));
  }

  @Test
  void opensslVerifiesTheIssuedLeafStrictlyForBothPurposes() throws Exception {
    for (String purpose : List.of("sslserver", "sslclient")) {
      Result result =
          run(
              openssl,
              "verify",
              "-x509_strict",
              "-purpose",
              purpose,
              "-attime",
              epoch(NOW),
              "-CAfile",
              dir.resolve("ca.pem").toString(),
              leafFile.toString());
      assertEquals(0, result.exitCode(), purpose + ": " + result.output());
      assertTrue(result.output().contains("leaf.pem: OK"), result.output());
    }
  }

  @Test
  void opensslRefusesTheLeafUnderAnotherCaOrAfterExpiry() throws Exception {
    Path otherDir = dir.resolve("other");
    BuiltInCa.builder().trustDomain(DOMAIN).clock(new ManualClock(NOW)).build().saveTo(otherDir);
    Result stranger =
        run(
            openssl,
            "verify",
            "-attime",
            epoch(NOW),
            "-CAfile",
            otherDir.resolve("ca.pem").toString(),
            leafFile.toString());
    assertNotEquals(0, stranger.exitCode(), stranger.output());
    Result expired =
        run(
            openssl,
            "verify",
            "-attime",
            epoch(NOW.plus(Duration.ofHours(25))),
            "-CAfile",
            dir.resolve("ca.pem").toString(),
            leafFile.toString());
    assertNotEquals(0, expired.exitCode(), expired.output());
    assertTrue(expired.output().contains("expired"), expired.output());
  }

  @Test
  void opensslShowsTheUriSanAndLeafExtensions() throws Exception {
    Result text = run(openssl, "x509", "-in", leafFile.toString(), "-noout", "-text");
    assertEquals(0, text.exitCode(), text.output());
    String out = text.output();
    assertTrue(out.contains("URI:" + MATHOID), out);
    assertTrue(out.contains("CA:FALSE"), out);
    assertTrue(out.contains("Digital Signature"), out);
    assertTrue(out.contains("TLS Web Server Authentication, TLS Web Client Authentication"), out);
    assertTrue(out.contains("ecdsa-with-SHA256"), out);
    assertTrue(out.contains("prime256v1") || out.contains("P-256"), out);
  }

  @Test
  void opensslReadsTheKeyFileAndItMatchesTheRoot() throws Exception {
    Result fromKey = run(openssl, "pkey", "-in", dir.resolve("ca-key.pem").toString(), "-pubout");
    Result fromCertificate =
        run(openssl, "x509", "-in", dir.resolve("ca.pem").toString(), "-noout", "-pubkey");
    assertEquals(0, fromKey.exitCode(), "openssl could not read ca-key.pem");
    assertEquals(0, fromCertificate.exitCode(), fromCertificate.output());
    assertTrue(fromCertificate.output().contains("BEGIN PUBLIC KEY"), fromCertificate.output());
    assertEquals(fromCertificate.output(), fromKey.output());
  }

  private record Result(int exitCode, String output) {}

  private Result run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static String epoch(Instant instant) {
    return Long.toString(instant.getEpochSecond());
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
