package dev.meshwork.core.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.spi.Redaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Fuzzes the two scanners that keep credentials out of what the mesh shows: {@link Redaction} for
 * free text that reaches the admin pages (discovery errors, labels, an endpoint's garbled answer)
 * and {@link UrlRedaction} for the query of {@code url.full} on spans. Around fuzzed text, a
 * planted secret never survives, redacting twice changes nothing, and a query parameter that a
 * server would read under a credential name shows {@code REDACTED}. Seeds: {@code
 * src/test/resources/dev/meshwork/core/internal/telemetry/RedactionFuzzTestInputs}.
 */
class RedactionFuzzTest {
  private static final Set<String> SENSITIVE_PARAMETERS =
      Set.of(
          "awsaccesskeyid",
          "signature",
          "sig",
          "x-goog-signature",
          "access_token",
          "id_token",
          "refresh_token",
          "token",
          "api_key",
          "apikey",
          "key",
          "password",
          "client_secret",
          "x-amz-signature",
          "x-amz-credential",
          "x-amz-security-token");

  /**
   * Input: free text, split in two around the planted secrets (a {@code password=} pair, a bearer
   * token and URL user info), whose value comes from the input's hash.
   */
  @FuzzTest
  void freeText(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String secret = "S3cr" + Integer.toHexString(Arrays.hashCode(input) | 0x10000000) + "Zq";
    int middle = text.length() / 2;
    String planted =
        text.substring(0, middle)
            + " password="
            + secret
            + " Authorization: Bearer "
            + secret
            + "x https://mathoid:"
            + secret
            + "y@example.org/ "
            + text.substring(middle);
    String shown = Redaction.text(planted);
    assertFalse(shown.contains(secret), "the secret survived in: " + shown);
    assertEquals(shown, Redaction.text(shown), "redacting redacted text changes nothing");
    String alone = Redaction.text(text);
    assertEquals(alone, Redaction.text(alone), "redacting redacted text changes nothing");
  }

  /**
   * Input: a query string (without '?'). Every parameter whose name a server decodes to a
   * credential name shows REDACTED; every other parameter is copied as it was.
   */
  @FuzzTest
  void urlQuery(byte[] input) {
    String query = new String(input, StandardCharsets.UTF_8);
    String url = UrlRedaction.fullUrl("https", "10.0.0.1:8443", "/render", query);
    String prefix = "https://10.0.0.1:8443/render";
    assertTrue(url.startsWith(prefix), url);
    if (query.isEmpty()) {
      assertEquals(prefix, url);
      return;
    }
    String[] shown = url.substring(prefix.length() + 1).split("&", -1);
    String[] given = query.split("&", -1);
    assertEquals(given.length, shown.length, "one parameter shown per parameter given: " + url);
    for (int i = 0; i < given.length; i++) {
      int equals = given[i].indexOf('=');
      String name = equals < 0 ? given[i] : given[i].substring(0, equals);
      if (equals >= 0 && SENSITIVE_PARAMETERS.contains(decode(name).toLowerCase(Locale.ROOT))) {
        assertEquals(given[i].substring(0, equals + 1) + "REDACTED", shown[i], "in " + url);
      } else {
        assertEquals(given[i], shown[i], "a parameter that carries no credential is kept");
      }
    }
  }

  /** The name as a server reads it: {@code %XX} escapes decoded as UTF-8, {@code +} a space. */
  private static String decode(String name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int high = i + 2 < name.length() ? hex(name, i + 1) : -1;
      int low = i + 2 < name.length() ? hex(name, i + 2) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String text, int at) {
    return "0123456789abcdef".indexOf(Character.toLowerCase(text.charAt(at)));
  }
}
