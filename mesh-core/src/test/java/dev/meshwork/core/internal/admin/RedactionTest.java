package dev.meshwork.core.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What admin output never shows: credentials in URLs, sensitive pairs, bearer values, private keys. */
class RedactionTest {

  @Test
  void credentialsInFreeTextAreReplaced() {
    assertEquals("registry https://[redacted]@registry.example/v1?token=[redacted]&page=2",
        Redaction.text("registry https://admin:hunter2@registry.example/v1?token=abc123&page=2"));
    assertEquals("password: [redacted], user=bob", Redaction.text("password: pa55, user=bob"));
    assertEquals("api_key=[redacted] clientSecret=[redacted]", Redaction.text("api_key=k1 clientSecret=s2"));
    assertEquals("Authorization: Bearer [redacted]", Redaction.text("Authorization: Bearer eyJhbGciOi.x.y"));
    assertEquals("key [redacted] end", Redaction.text(
        "key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY----- end"));
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertEquals("static[3 endpoints]", Redaction.text("static[3 endpoints]"));
    assertEquals("dns[A mathoid.svc via 10.0.0.2:53]", Redaction.text("dns[A mathoid.svc via 10.0.0.2:53]"));
    assertEquals("file[/etc/mesh/endpoints.yaml]", Redaction.text("file[/etc/mesh/endpoints.yaml]"));
    assertNull(Redaction.text(null));
  }

  @Test
  void mapEntriesWithSensitiveKeysAreHiddenWhole() {
    assertEquals(Redaction.REDACTED, Redaction.entry("api-token", "s3cr3t"));
    assertEquals(Redaction.REDACTED, Redaction.entry("DB_PASSWORD", "x"));
    assertEquals("v2", Redaction.entry("version", "v2"));
  }
}
