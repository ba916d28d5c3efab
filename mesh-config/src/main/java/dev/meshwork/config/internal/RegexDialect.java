package dev.meshwork.config.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Finds what in a Java regular expression other dialects read differently or refuse: RE2 (Envoy's
 * {@code safe_regex}, Istio, Gateway API implementations, gRPC xDS) has no lookarounds,
 * backreferences, possessive quantifiers, atomic groups, class intersections or Java's extra
 * escapes and flags; and a repeated group recurses once per repetition in {@code java.util.regex},
 * so a long enough path fails its call. One pass over the pattern, which has already compiled.
 */
final class RegexDialect {
  private RegexDialect() {}

  /** Adds a finding naming each dialect-sensitive construct of {@code regex}. */
  static void check(String what, String regex, String path, List<Finding> findings) {
    List<String> java = new ArrayList<>();
    List<String> recursive = new ArrayList<>();
    scan(regex, java, recursive);
    if (!java.isEmpty()) {
      findings.add(
          LintRule.REGEX.at(
              path,
              what
                  + " '"
                  + regex
                  + "' uses "
                  + String.join(", ", java)
                  + ": Java accepts "
                  + (java.size() == 1 ? "it" : "them")
                  + ", RE2 (Envoy, Istio, Gateway API, xDS) does not, so the route cannot move"
                  + " to or from those",
              "rewrite without it: match a prefix or exact path, split the route in two, or list"
                  + " the alternatives"));
    }
    if (!recursive.isEmpty()) {
      findings.add(
          LintRule.REGEX.at(
              path,
              what
                  + " '"
                  + regex
                  + "' repeats the group "
                  + String.join(", ", recursive)
                  + ": java.util.regex recurses once per repetition, so a long enough value fails"
                  + " its call instead of matching",
              "repeat a character class instead, such as [/a-z0-9]* for (/[a-z0-9]+)*"));
    }
  }

  /** Collects Java-only constructs into {@code java} and repeated groups into {@code recursive}. */
  static void scan(String regex, List<String> java, List<String> recursive) {
    Deque<Integer> groups = new ArrayDeque<>();
    int n = regex.length();
    int i = 0;
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < n) {
        i = escape(regex, i, java, false);
        continue;
      }
      if (c == '[') {
        i = characterClass(regex, i, java);
        i = quantifier(regex, i, java, -1, recursive);
        continue;
      }
      if (c == '(') {
        groupStart(regex, i, java);
        groups.push(i);
        i++;
        continue;
      }
      if (c == ')' && !groups.isEmpty()) {
        int start = groups.pop();
        i = quantifier(regex, i + 1, java, start, recursive);
        continue;
      }
      i = quantifier(regex, i + 1, java, -1, recursive);
    }
  }

  /** Notes a lookaround, atomic group or Java-only flag at {@code (} index {@code i}. */
  private static void groupStart(String regex, int i, List<String> java) {
    if (i + 1 >= regex.length() || regex.charAt(i + 1) != '?') {
      return;
    }
    String rest = regex.substring(i + 2);
    if (rest.startsWith("=") || rest.startsWith("!")) {
      java.add("a lookahead '(?" + rest.charAt(0) + "'");
    } else if (rest.startsWith("<=") || rest.startsWith("<!")) {
      java.add("a lookbehind '(?" + rest.substring(0, 2) + "'");
    } else if (rest.startsWith(">")) {
      java.add("an atomic group '(?>'");
    } else {
      int end = 0;
      while (end < rest.length()
          && (Character.isLetter(rest.charAt(end)) || rest.charAt(end) == '-')) {
        end++;
      }
      String flags = rest.substring(0, end);
      boolean flagGroup =
          end < rest.length() && (rest.charAt(end) == ')' || rest.charAt(end) == ':');
      if (flagGroup && flags.chars().anyMatch(f -> "dxuU".indexOf(f) >= 0)) {
        java.add("the flags '(?" + flags + "' (RE2 knows only i, m, s; its U means ungreedy)");
      }
    }
  }

  /** Skips the escape at {@code i}; returns the index after it. */
  private static int escape(String regex, int i, List<String> java, boolean inClass) {
    char e = regex.charAt(i + 1);
    if (e == 'Q') {
      int end = regex.indexOf("\\E", i + 2);
      return end < 0 ? regex.length() : end + 2;
    }
    if (!inClass && e >= '1' && e <= '9') {
      java.add("a backreference '\\" + e + "'");
    } else if (!inClass && e == 'k' && i + 2 < regex.length() && regex.charAt(i + 2) == '<') {
      java.add("a named backreference '\\k<'");
    } else if ("hHRXZGv".indexOf(e) >= 0) {
      java.add("the Java escape '\\" + e + "'");
    } else if ((e == 'p' || e == 'P') && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
      int close = regex.indexOf('}', i + 3);
      String name = close < 0 ? "" : regex.substring(i + 3, close);
      if (name.startsWith("java") || name.startsWith("Is") || name.startsWith("In")) {
        java.add("the Java class '\\" + e + "{" + name + "}'");
      }
      return close < 0 ? regex.length() : close + 1;
    }
    return i + 2;
  }

  /** Skips the class opening at {@code i}, noting unions and intersections; returns after it. */
  private static int characterClass(String regex, int i, List<String> java) {
    int depth = 0;
    int j = i;
    boolean nested = false;
    while (j < regex.length()) {
      char c = regex.charAt(j);
      if (c == '\\' && j + 1 < regex.length()) {
        j = escape(regex, j, java, true);
        continue;
      }
      if (c == '[') {
        depth++;
        if (depth > 1) {
          nested = true;
        }
        // A ']' right after the opening (or after '^') is a literal.
        j++;
        if (j < regex.length() && regex.charAt(j) == '^') {
          j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
          j++;
        }
        continue;
      }
      if (c == '&' && j + 1 < regex.length() && regex.charAt(j + 1) == '&') {
        java.add("a class intersection '&&'");
        j += 2;
        continue;
      }
      if (c == ']' && --depth == 0) {
        break;
      }
      j++;
    }
    if (nested) {
      java.add("a class inside a class");
    }
    return j + 1;
  }

  /**
   * Reads a quantifier at {@code i}, if any, after an atom; {@code group} is the start of the group
   * the atom is, or -1. Returns the index after it.
   */
  private static int quantifier(
      String regex, int i, List<String> java, int group, List<String> recursive) {
    if (i >= regex.length()) {
      return i;
    }
    char q = regex.charAt(i);
    int end;
    boolean unbounded;
    if (q == '*' || q == '+') {
      end = i + 1;
      unbounded = true;
    } else if (q == '?') {
      end = i + 1;
      unbounded = false;
    } else if (q == '{') {
      int close = regex.indexOf('}', i);
      if (close < 0) {
        return i;
      }
      String body = regex.substring(i + 1, close);
      if (!body.matches("[0-9]+(,[0-9]*)?")) {
        return i;
      }
      end = close + 1;
      unbounded = body.contains(",") && repeatsMany(body);
    } else {
      return i;
    }
    if (end < regex.length() && regex.charAt(end) == '+') {
      java.add("a possessive quantifier '" + regex.substring(i, end + 1) + "'");
      end++;
    } else if (end < regex.length() && regex.charAt(end) == '?') {
      end++; // lazy: both dialects read it alike
    }
    if (group >= 0 && unbounded) {
      recursive.add("'" + regex.substring(group, i) + "'");
    }
    return end;
  }

  private static boolean repeatsMany(String body) {
    String max = body.substring(body.indexOf(',') + 1);
    return max.isEmpty() || max.length() > 2 || Integer.parseInt(max) > 10;
  }
}
