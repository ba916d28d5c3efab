package dev.meshwork.core.spi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps secrets out of admin output: mesh-admin's pages, and the long details the decision log
 * cuts. Free text the mesh did not write itself (a discovery source's description, a discovery
 * error, a health-check path, labels, an endpoint's garbled answer) may carry credentials in a URL,
 * a {@code token=...} pair, a bearer header or even a PEM key; they are replaced with {@value
 * #REDACTED} before anything is written.
 *
 * <p>Each rule is a hand-written scan that looks at every character a bounded number of times: the
 * text may be large and chosen by an endpoint, and a backtracking regex took cubic time on text
 * such as {@code token.token.token...}. Redacting redacted text changes nothing.
 */
public final class Redaction {
  public static final String REDACTED = "[redacted]";

  /** {@link #REDACTED} up to its closing bracket, which ends a value. */
  private static final String REDACTED_OPENING = "[redacted";

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String PRIVATE_KEY = "PRIVATE KEY";
  private static final String DASHES = "-----";

  /** Lower case; a key containing any of them is sensitive ("auth" covers "authorization"). */
  private static final List<String> SENSITIVE_NAMES =
      List.of(
          "password",
          "passwd",
          "pwd",
          "secret",
          "token",
          "auth",
          "credential",
          "apikey",
          "api-key",
          "api_key",
          "accesskey",
          "access-key",
          "access_key",
          "privatekey",
          "private-key",
          "private_key");

  private Redaction() {}

  /**
   * {@code text} with credentials replaced; {@code null} stays {@code null}. Linear in the length.
   */
  public static String text(String text) {
    if (text == null) {
      return null;
    }
    String result = privateKeys(text);
    result = urlUserInfo(result);
    result = authorizationValues(result);
    result = sensitivePairs(result);
    // A pair's value may have held the '/' that ended a URL's user info early; look again.
    return urlUserInfo(result);
  }

  /** The value to show for the entry {@code key = value} of a map such as an endpoint's labels. */
  public static String entry(String key, String value) {
    return key != null && sensitive(key.toLowerCase(Locale.ROOT)) ? REDACTED : text(value);
  }

  /** A map such as labels, sorted by key, with {@link #entry} applied to every value. */
  public static Map<String, String> entries(Map<String, String> map) {
    Map<String, String> shown = new TreeMap<>();
    map.forEach((key, value) -> shown.put(key, entry(key, value)));
    return shown;
  }

  /**
   * {@code -----BEGIN ... PRIVATE KEY-----} up to its END line, or to the end of the text when
   * there is none.
   */
  private static String privateKeys(String text) {
    int begin = keyLine(text, BEGIN, 0);
    if (begin < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (begin >= 0) {
      out.append(text, copied, begin).append(REDACTED);
      int end = keyLine(text, END, keyLineEnd(text, begin + BEGIN.length()));
      copied = end < 0 ? text.length() : keyLineEnd(text, end + END.length());
      begin = end < 0 ? -1 : keyLine(text, BEGIN, copied);
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * Where the first {@code prefix[A-Z ]*PRIVATE KEY-----} at or after {@code from} starts, or -1.
   */
  private static int keyLine(String text, String prefix, int from) {
    // Each candidate's [A-Z ] run ends at the next prefix's first dash, so no character is scanned
    // twice.
    for (int at = text.indexOf(prefix, from); at >= 0; at = text.indexOf(prefix, at + 1)) {
      if (keyLineEnd(text, at + prefix.length()) >= 0) {
        return at;
      }
    }
    return -1;
  }

  /**
   * The end of {@code [A-Z ]*PRIVATE KEY-----} starting at {@code from}, or -1 when there is none
   * there.
   */
  private static int keyLineEnd(String text, int from) {
    int run = from;
    while (run < text.length() && (isUpper(text.charAt(run)) || text.charAt(run) == ' ')) {
      run++;
    }
    boolean matches =
        run - from >= PRIVATE_KEY.length()
            && text.startsWith(PRIVATE_KEY, run - PRIVATE_KEY.length())
            && text.startsWith(DASHES, run);
    return matches ? run + DASHES.length() : -1;
  }

  /** {@code scheme://user:password@} becomes {@code scheme://[redacted]@}. */
  private static String urlUserInfo(String text) {
    StringBuilder out = null;
    int copied = 0;
    for (int sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", sep + 1)) {
      int start = sep + 3;
      int end = start;
      while (end < text.length() && !isUserInfoStop(text.charAt(end))) {
        end++;
      }
      if (end == start
          || end == text.length()
          || text.charAt(end) != '@'
          || !schemeBefore(text, sep)) {
        continue;
      }
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, copied, start).append(REDACTED);
      copied = end;
      sep = end;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /**
   * Whether the scheme characters just before {@code sep} include a letter a scheme may start with.
   */
  private static boolean schemeBefore(String text, int sep) {
    for (int i = sep - 1; i >= 0 && isSchemeChar(text.charAt(i)); i--) {
      if (isLetter(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code Bearer xyz} and {@code Basic xyz} (any case, as a word) become {@code Bearer
   * [redacted]}.
   */
  private static String authorizationValues(String text) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      int word = authScheme(text, i);
      if (word < 0) {
        i++;
        continue;
      }
      int token = word;
      while (token < text.length() && isSpace(text.charAt(token))) {
        token++;
      }
      int end = token;
      // Only after whitespace: a run of token characters is then scanned once, as this match's
      // value.
      while (token > word && end < text.length() && isTokenChar(text.charAt(end))) {
        end++;
      }
      if (end == token) {
        i++;
        continue;
      }
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, copied, word).append(' ').append(REDACTED);
      copied = end;
      i = end;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** The end of {@code bearer} or {@code basic} starting as a word at {@code i}, or -1. */
  private static int authScheme(String text, int i) {
    if (i > 0 && isWordChar(text.charAt(i - 1))) {
      return -1;
    }
    if (text.regionMatches(true, i, "bearer", 0, 6)) {
      return i + 6;
    }
    return text.regionMatches(true, i, "basic", 0, 5) ? i + 5 : -1;
  }

  /**
   * {@code name = value} and {@code name: value} whose name contains a sensitive word: the value,
   * up to a delimiter, becomes {@value #REDACTED}. A value that is an authorization scheme was
   * handled by {@link #authorizationValues} and is left alone.
   */
  private static String sensitivePairs(String text) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!isNameChar(text.charAt(i))) {
        i++;
        continue;
      }
      // A name is a whole run of [\w.-] and starts at its first word character; the run's end is i.
      int start = i;
      while (i < n && isNameChar(text.charAt(i))) {
        i++;
      }
      while (start < i && !isWordChar(text.charAt(start))) {
        start++;
      }
      if (start == i || !sensitive(text.substring(start, i).toLowerCase(Locale.ROOT))) {
        continue;
      }
      int value = i;
      while (value < n && isSpace(text.charAt(value))) {
        value++;
      }
      if (value == n || (text.charAt(value) != '=' && text.charAt(value) != ':')) {
        continue;
      }
      value++;
      while (value < n && isSpace(text.charAt(value))) {
        value++;
      }
      if (isAuthSchemeValue(text, value) || text.startsWith(REDACTED, value)) {
        continue;
      }
      int end = value;
      while (end < n && isValueChar(text.charAt(end))) {
        end++;
      }
      // A value holding an earlier redaction (of URL user info, say) stays: replacing it would
      // drop what kept that redaction from matching again, and redacting twice would change text.
      if (end == value || text.substring(value, end).contains(REDACTED_OPENING)) {
        continue;
      }
      out = out == null ? new StringBuilder(n) : out;
      out.append(text, copied, value).append(REDACTED);
      copied = end;
      i = end;
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  private static boolean isAuthSchemeValue(String text, int at) {
    int word = authScheme(text, at);
    return word >= 0 && word < text.length() && isSpace(text.charAt(word));
  }

  /** {@code lowerCase} contains a sensitive word. */
  private static boolean sensitive(String lowerCase) {
    for (String name : SENSITIVE_NAMES) {
      if (lowerCase.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isLetter(char c) {
    return isUpper(c) || (c >= 'a' && c <= 'z');
  }

  private static boolean isWordChar(char c) {
    return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isNameChar(char c) {
    return isWordChar(c) || c == '.' || c == '-';
  }

  private static boolean isSchemeChar(char c) {
    return isLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static boolean isUserInfoStop(char c) {
    return c == '/' || c == '@' || isSpace(c);
  }

  private static boolean isTokenChar(char c) {
    return isWordChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
  }

  private static boolean isValueChar(char c) {
    return !isSpace(c)
        && c != '&'
        && c != ','
        && c != ';'
        && c != '}'
        && c != ']'
        && c != ')'
        && c != '\''
        && c != '"';
  }
}
