package dev.meshwork.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the dialect scan finds in expressions that all compile in Java. */
class RegexDialectTest {

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '"',
      value = {
        "/v[0-9]+/.* => ",
        "(?i)/render/(svg|png) => ",
        "/a(?:b|c)?d{2,5} => ",
        "/x(?=y) => a lookahead '(?='",
        "/x(?!y) => a lookahead '(?!'",
        "(?<=a)b => a lookbehind '(?<='",
        "(?<!a)b => a lookbehind '(?<!'",
        "(?>ab)c => an atomic group '(?>'",
        "(a)\\1 => a backreference '\\1'",
        "(?<n>a)\\k<n> => a named backreference '\\k<'",
        "a*+b => a possessive quantifier '*+'",
        "a{2,3}+ => a possessive quantifier '{2,3}+'",
        "[a-z&&[^e]] => a class intersection '&&', a class inside a class",
        "\\h+ => the Java escape '\\h'",
        "\\p{javaLowerCase} => the Java class '\\p{javaLowerCase}'",
        "(?x)a b => the flags '(?x' (RE2 knows only i, m, s; its U means ungreedy)",
        "[(?=]x => ",
        "\\Q(?=\\Ex => ",
        "a\\+\\+ => ",
        "[\\1] => ",
      })
  void javaOnlyConstructs(String regex, String expected) {
    List<String> java = new ArrayList<>();
    RegexDialect.scan(regex, java, new ArrayList<>());
    assertEquals(expected == null ? "" : expected, String.join(", ", java), regex);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '"',
      value = {
        "(/[a-z]+)* => '(/[a-z]+)'",
        "(ab)+c => '(ab)'",
        "(ab){2,} => '(ab)'",
        "(ab){1,50} => '(ab)'",
        "(ab){2,5} => ",
        "(ab)? => ",
        "[/a-z]* => ",
        "/(svg|png) => ",
      })
  void repeatedGroups(String regex, String expected) {
    List<String> recursive = new ArrayList<>();
    RegexDialect.scan(regex, new ArrayList<>(), recursive);
    assertEquals(expected == null ? "" : expected, String.join(", ", recursive), regex);
  }
}
