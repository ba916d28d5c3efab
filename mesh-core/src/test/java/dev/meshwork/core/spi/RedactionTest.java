package dev.meshwork.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What admin output never shows: credentials in URLs, sensitive pairs, bearer values, private keys.
 */
class RedactionTest {

  @Test
  void credentialsInFreeTextAreReplaced() {
    assertEquals(
        "registry https://[redacted]@registry.example/v1?token=[redacted]&page=2",
        Redaction.text("registry https://admin:hunter2@registry.example/v1?token=abc123&page=2"));
    assertEquals("password: [redacted], user=bob", Redaction.text("password: pa55, user=bob"));
    assertEquals(
        "api_key=[redacted] clientSecret=[redacted]", Redaction.text("api_key=k1 clientSecret=s2"));
    assertEquals(
        "Authorization: Bearer [redacted]", Redaction.text("Authorization: Bearer eyJhbGciOi.x.y"));
    assertEquals(
        "key [redacted] end",
        Redaction.text(
            "key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY----- end"));
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertEquals("static[3 endpoints]", Redaction.text("static[3 endpoints]"));
    assertEquals(
        "dns[A mathoid.svc via 10.0.0.2:53]", Redaction.text("dns[A mathoid.svc via 10.0.0.2:53]"));
    assertEquals(
        "file[/etc/mesh/endpoints.yaml]", Redaction.text("file[/etc/mesh/endpoints.yaml]"));
    assertNull(Redaction.text(null));
  }

  @Test
  void mapEntriesWithSensitiveKeysAreHiddenWhole() {
    assertEquals(Redaction.REDACTED, Redaction.entry("api-token", "s3cr3t"));
    assertEquals(Redaction.REDACTED, Redaction.entry("DB_PASSWORD", "x"));
    assertEquals("v2", Redaction.entry("version", "v2"));
  }

  @Test
  void redactingRedactedTextChangesNothing() {
    for (String text :
        List.of(
            "password: pa55, user=bob",
            "api_key=k1 clientSecret=s2",
            "Authorization: Bearer x.y",
            "registry https://admin:hunter2@registry.example/v1?token=abc123&page=2",
            "key -----BEGIN RSA PRIVATE KEY-----\nMIGH\n-----END RSA PRIVATE KEY----- end",
            "token=[redacted]x")) {
      String once = Redaction.text(text);
      assertEquals(once, Redaction.text(once), text);
    }
  }

  @Test
  void aKeyWithoutItsEndLineIsRedactedToTheEnd() {
    assertEquals(
        "cut: [redacted]", Redaction.text("cut: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI"));
    assertEquals(
        "-----BEGIN CERTIFICATE-----\nMIIB", Redaction.text("-----BEGIN CERTIFICATE-----\nMIIB"));
  }

  /**
   * Text an endpoint chose, ~300 KB each: the regexes this replaced backtracked cubically on the
   * names and quadratically on the schemeless run and the bearers, hours at this size. The bound
   * only keeps a regression from hanging the build.
   */
  @Test
  void largeAdversarialTextIsRedactedInOnePass() {
    String names = "token.".repeat(50_000);
    String schemeless = "a".repeat(300_000);
    String keyLines = "-----BEGIN " + "A ".repeat(50_000) + "-----END " + "B".repeat(100_000);
    String bearers = "bearer.".repeat(40_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          assertEquals(names, Redaction.text(names));
          assertEquals(
              names + "=" + Redaction.REDACTED + " ok", Redaction.text(names + "=hunter2 ok"));
          assertEquals(
              schemeless + "://x@y",
              Redaction.text(schemeless + "://x@y").replace(Redaction.REDACTED, "x"));
          assertEquals("1a://" + schemeless, Redaction.text("1a://" + schemeless));
          assertEquals(keyLines, Redaction.text(keyLines));
          assertEquals(bearers, Redaction.text(bearers));
        });
  }
}
