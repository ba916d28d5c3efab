package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpiffeIdTest {
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");

  @Test
  void parsesAWorkloadId() {
    SpiffeId id = SpiffeId.parse("spiffe://example.org/ns/default/sa/mathoid");
    assertEquals(DOMAIN, id.trustDomain());
    assertEquals("/ns/default/sa/mathoid", id.path());
    assertEquals("spiffe://example.org/ns/default/sa/mathoid", id.toString());
    assertEquals(URI.create("spiffe://example.org/ns/default/sa/mathoid"), id.toUri());
    assertTrue(id.isMemberOf(DOMAIN));
    assertFalse(id.isMemberOf(TrustDomain.of("example.com")));
    assertFalse(id.isTrustDomainId());
  }

  @Test
  void acceptsEveryAllowedCharacter() {
    String text = "spiffe://a-b_c.0-9.z/Az.-_09/x";
    assertEquals(text, SpiffeId.parse(text).toString());
  }

  @Test
  void trustDomainIdHasAnEmptyPath() {
    SpiffeId id = SpiffeId.parse("spiffe://example.org");
    assertEquals("", id.path());
    assertTrue(id.isTrustDomainId());
    assertEquals(id, DOMAIN.id());
  }

  @Test
  void defaultServiceForm() {
    SpiffeId id = SpiffeId.forService(DOMAIN, "default", "mathoid");
    assertEquals(SpiffeId.parse("spiffe://example.org/ns/default/sa/mathoid"), id);
    assertEquals(id.hashCode(), SpiffeId.parse(id.toString()).hashCode());
  }

  @Test
  void serviceFormRefusesNamespaceOrServiceThatIsNotOneSegment() {
    MeshConfigException slash =
        assertThrows(
            MeshConfigException.class, () -> SpiffeId.forService(DOMAIN, "a/b", "mathoid"));
    assertTrue(
        slash.getMessage().startsWith("SPIFFE ID namespace: 'a/b' is invalid"), slash.getMessage());
    MeshConfigException dots =
        assertThrows(MeshConfigException.class, () -> SpiffeId.forService(DOMAIN, "default", ".."));
    assertTrue(
        dots.getMessage().contains("SPIFFE ID service") && dots.getMessage().contains("'..'"),
        dots.getMessage());
    assertThrows(MeshConfigException.class, () -> SpiffeId.forService(DOMAIN, "", "mathoid"));
  }

  @Test
  void lengthLimitIs2048Bytes() {
    String prefix = "spiffe://example.org/";
    String longest = prefix + "a".repeat(2048 - prefix.length());
    assertEquals(2048, SpiffeId.parse(longest).toString().length());
    MeshConfigException e =
        assertThrows(MeshConfigException.class, () -> SpiffeId.parse(longest + "a"));
    assertTrue(e.getMessage().contains("at most 2048 bytes"), e.getMessage());
  }

  static Stream<Arguments> invalidIds() {
    return Stream.of(
        Arguments.of("", "non-empty SPIFFE ID"),
        Arguments.of("http://example.org/ns/default/sa/mathoid", "the scheme 'spiffe://'"),
        Arguments.of("spiffe:example.org/x", "the scheme 'spiffe://'"),
        Arguments.of("SPIFFE://example.org/x", "in lowercase"),
        Arguments.of("spiffe://", "a trust domain after 'spiffe://'"),
        Arguments.of("spiffe:///ns/default", "a trust domain after 'spiffe://'"),
        Arguments.of("spiffe://Example.org/x", "lowercase trust domain (found uppercase 'E')"),
        Arguments.of("spiffe://example.org:8443/x", "no port"),
        Arguments.of("spiffe://admin@example.org/x", "no user info"),
        Arguments.of("spiffe://exa$mple.org/x", "trust domain characters limited to"),
        Arguments.of("spiffe://example.org/x?tenant=a", "no query"),
        Arguments.of("spiffe://example.org/x#top", "no fragment"),
        Arguments.of("spiffe://example.org/", "no trailing slash"),
        Arguments.of("spiffe://example.org/ns/default/", "no trailing slash"),
        Arguments.of("spiffe://example.org//ns", "no empty path segments"),
        Arguments.of("spiffe://example.org/./ns", "no '.' or '..' path segments"),
        Arguments.of("spiffe://example.org/ns/../sa", "no '.' or '..' path segments"),
        Arguments.of("spiffe://example.org/a%20b", "percent-encoding is not allowed"),
        Arguments.of("spiffe://example.org/a b", "path segment characters limited to"),
        Arguments.of("spiffe://example.org/caf\u00e9", "path segment characters limited to"),
        Arguments.of("spiffe://example.org/" + "a".repeat(2100), "at most 2048 bytes"));
  }

  @ParameterizedTest(name = "{0} breaks \"{1}\"")
  @MethodSource("invalidIds")
  void refusesWithTheRuleBroken(String text, String rule) {
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> SpiffeId.parse(text));
    assertTrue(
        e.getMessage().startsWith("SPIFFE ID: '" + text + "' is invalid; expected "),
        e.getMessage());
    assertTrue(e.getMessage().contains(rule), () -> "'" + rule + "' not in: " + e.getMessage());
    assertEquals("SPIFFE ID", e.field());
  }

  @Test
  void refusesNull() {
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> SpiffeId.parse(null));
    assertTrue(e.getMessage().startsWith("SPIFFE ID: null is invalid"), e.getMessage());
  }

  @Test
  void constructorValidatesThePath() {
    MeshConfigException e =
        assertThrows(MeshConfigException.class, () -> new SpiffeId(DOMAIN, "ns/default"));
    assertTrue(e.getMessage().contains("a path starting with '/'"), e.getMessage());
    assertThrows(MeshConfigException.class, () -> new SpiffeId(null, "/x"));
  }

  @Test
  void trustDomainRules() {
    assertEquals("cluster.local", TrustDomain.DEFAULT.name());
    MeshConfigException upper =
        assertThrows(MeshConfigException.class, () -> TrustDomain.of("Example.org"));
    assertTrue(
        upper
            .getMessage()
            .startsWith("trust domain: 'Example.org' is invalid; expected a lowercase"),
        upper.getMessage());
    assertThrows(MeshConfigException.class, () -> TrustDomain.of(""));
    assertThrows(MeshConfigException.class, () -> TrustDomain.of("a".repeat(256)));
    assertEquals(255, TrustDomain.of("a".repeat(255)).name().length());
  }
}
