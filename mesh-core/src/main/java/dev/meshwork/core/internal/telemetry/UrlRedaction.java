package dev.meshwork.core.internal.telemetry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Builds {@code url.full} for spans without credentials. User info never appears: the URL is made
 * from the attempt's scheme, endpoint, path and query, not from the caller's URL. The values of
 * query parameters that carry credentials are replaced by {@code REDACTED}: the ones the HTTP
 * semantic conventions name (signed-URL parameters) and common token and key names, however their
 * names are percent-encoded.
 */
final class UrlRedaction {
  static final String REDACTED = "REDACTED";
  private static final Set<String> SENSITIVE =
      Set.of(
          // Named by the OpenTelemetry HTTP semantic conventions (url.full).
          "awsaccesskeyid",
          "signature",
          "sig",
          "x-goog-signature",
          // Common bearer-token and key parameters.
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

  private UrlRedaction() {}

  static String fullUrl(String scheme, String authority, String path, String query) {
    StringBuilder url =
        new StringBuilder(scheme.length() + authority.length() + path.length() + 16)
            .append(scheme)
            .append("://")
            .append(authority)
            .append(path);
    if (query != null && !query.isEmpty()) {
      url.append('?');
      appendRedacted(url, query);
    }
    return url.toString();
  }

  private static void appendRedacted(StringBuilder url, String query) {
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      int equals = query.indexOf('=', start);
      if (start > 0) {
        url.append('&');
      }
      if (equals >= 0
          && equals < end
          && SENSITIVE.contains(decoded(query.substring(start, equals)).toLowerCase(Locale.ROOT))) {
        url.append(query, start, equals + 1).append(REDACTED);
      } else {
        url.append(query, start, end);
      }
      start = end + 1;
    }
  }

  /**
   * {@code name} as a server reads it: {@code %74oken} is {@code token} to the server, so it must
   * be to the redaction too. Escapes are UTF-8; {@code +} is a space; a malformed escape stays as
   * it is.
   */
  private static String decoded(String name) {
    if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
      return name;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int high = i + 2 < name.length() ? hexDigit(name.charAt(i + 1)) : -1;
      int low = i + 2 < name.length() ? hexDigit(name.charAt(i + 2)) : -1;
      if (c == '%' && high >= 0 && low >= 0) {
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hexDigit(char c) {
    return c >= '0' && c <= '9'
        ? c - '0'
        : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
