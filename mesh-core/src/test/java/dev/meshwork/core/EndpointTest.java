package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

  @Test
  void parsesHostPortAndBracketedIpv6() {
    assertEquals(Endpoint.of("10.0.0.7", 8080), Endpoint.parse("10.0.0.7:8080"));
    assertEquals(
        Endpoint.of("mathoid-1.eqiad.wmnet", 10044),
        Endpoint.parse(" mathoid-1.eqiad.wmnet:10044 "));
    Endpoint v6 = Endpoint.parse("[::1]:8443");
    assertEquals("::1", v6.host());
    assertEquals("[::1]:8443", v6.address());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:99999 | endpoint 127.0.0.1 port: '99999' is invalid; expected a port number in 1..65535",
        "127.0.0.1:0     | endpoint 127.0.0.1 port: '0' is invalid; expected a port number in 1..65535",
        ":8080           | endpoint host: '' is invalid; expected a DNS name or an IP address",
        "127.0.0.1       | endpoint: '127.0.0.1' is invalid; expected 'host:port' (IPv6 addresses in brackets), for example '10.0.0.7:8080'",
        "::1:80          | endpoint: '::1:80' is invalid; expected 'host:port' (IPv6 addresses in brackets), for example '10.0.0.7:8080'",
        "[::1]8080       | endpoint: '[::1]8080' is invalid; expected '[ipv6]:port', for example '[::1]:8080'",
        "host:http       | endpoint host:http port: 'http' is invalid; expected a port number in 1..65535",
        "bad_host!:80    | endpoint host: 'bad_host!' is invalid; expected a DNS name or an IPv4 address",
        "10.0.0.7:80 v2  | endpoint '10.0.0.7:80 v2' attribute: 'v2' is invalid; expected 'key=value', for example 'zone=eqiad-a', 'weight=2' or 'version=v2'",
        "10.0.0.7:80 =v2 | endpoint '10.0.0.7:80 =v2' attribute: '=v2' is invalid; expected 'key=value', for example 'zone=eqiad-a', 'weight=2' or 'version=v2'",
        "10.0.0.7:80 weight=heavy | endpoint '10.0.0.7:80 weight=heavy' weight: 'heavy' is invalid; expected a weight in 1..1000000",
        "10.0.0.7:80 weight=0 | endpoint 10.0.0.7:80 weight: '0' is invalid; expected a weight in 1..1000000",
        "10.0.0.7:80 a=1 a=2 | endpoint '10.0.0.7:80 a=1 a=2' label a: '2' is invalid; expected each label once",
      })
  void refusesMalformedEntriesNamingValueAndExpectation(String text, String message) {
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> Endpoint.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void theStringFormCarriesWeightZoneAndLabels() {
    Endpoint parsed =
        Endpoint.parse(" 10.0.4.7:10044  weight=2 zone=eqiad-a version=v2 track=stable ");
    Endpoint built =
        Endpoint.builder("10.0.4.7", 10044)
            .weight(2)
            .zone("eqiad-a")
            .label("version", "v2")
            .label("track", "stable")
            .build();
    assertEquals(built, parsed);
    assertEquals(2, parsed.weight());
    assertEquals("eqiad-a", parsed.zone());
    assertEquals(Map.of("version", "v2", "track", "stable"), parsed.labels());
    assertEquals(
        Endpoint.builder("::1", 8443).zone("z").build(), Endpoint.parse("[::1]:8443 zone=z"));
  }

  @Test
  void builderValidatesWeightAndLabels() {
    Endpoint endpoint =
        Endpoint.builder("10.0.0.7", 80).weight(3).zone("a").label("version", "v2").build();
    assertEquals(Map.of("version", "v2"), endpoint.labels());
    assertEquals(Optional.of("v2"), endpoint.label("version"));
    assertEquals("10.0.0.7:80 weight=3 zone=a labels={version=v2}", endpoint.toString());

    MeshConfigException zero =
        assertThrows(
            MeshConfigException.class, () -> Endpoint.builder("10.0.0.7", 80).weight(0).build());
    assertEquals(
        "endpoint 10.0.0.7:80 weight: '0' is invalid; expected a weight in 1..1000000",
        zero.getMessage());
    assertThrows(
        MeshConfigException.class, () -> Endpoint.builder("10.0.0.7", 80).label(" ", "x").build());
  }

  @Test
  void identityIsTheAddress() {
    Endpoint a = Endpoint.builder("10.0.0.7", 80).label("version", "v1").build();
    Endpoint b = Endpoint.builder("10.0.0.7", 80).label("version", "v2").build();
    assertEquals(a.address(), b.address());
  }

  /** The host grammar, as regular expressions: the reference the hand-written check must equal. */
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?)*\\.?");

  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  @Test
  void hostsAreAcceptedExactlyAsTheHostGrammarSays() {
    String alphabet = "aZ09_-.:%fG é\n";
    Random random = new Random(19);
    List<String> hosts =
        new ArrayList<>(
            List.of(
                "a",
                "a.",
                "a..",
                ".",
                ".a",
                "-a",
                "a-",
                "a-b",
                "a_.b_",
                "x.-y",
                "::",
                "::1%",
                "::1%eth0",
                "fe80::1%en0.1-x",
                "%eth0",
                "::1%%",
                "1.2.3.4.",
                "a.b.c.",
                "ab.c-.d",
                "_",
                "a".repeat(253),
                "a".repeat(254),
                "ä.b"));
    for (int i = 0; i < 200_000; i++) {
      StringBuilder host = new StringBuilder();
      for (int n = 1 + random.nextInt(8); n > 0; n--) {
        host.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      hosts.add(host.toString());
    }
    int accepted = 0;
    for (String host : hosts) {
      boolean grammar =
          !host.isBlank()
              && (host.indexOf(':') >= 0
                  ? IPV6.matcher(host).matches()
                  : HOSTNAME.matcher(host).matches() && host.length() <= 253);
      boolean valid;
      try {
        Endpoint.of(host, 80);
        valid = true;
      } catch (MeshConfigException e) {
        valid = false;
      }
      assertEquals(grammar, valid, "host '" + host + "'");
      accepted += valid ? 1 : 0;
    }
    assertTrue(accepted > 1000 && accepted < hosts.size() - 1000, accepted + " accepted");
  }

  @Test
  void labelsAreCopiedIntoAnImmutableMap() {
    Map<String, String> one = new java.util.HashMap<>(Map.of("version", "v1"));
    Endpoint endpoint = new Endpoint("10.0.0.7", 80, 1, "", one);
    one.put("track", "stable");
    assertEquals(Map.of("version", "v1"), endpoint.labels());
    assertThrows(UnsupportedOperationException.class, () -> endpoint.labels().put("a", "b"));
    assertThrows(
        UnsupportedOperationException.class,
        () ->
            new Endpoint("10.0.0.7", 80, 1, "", new java.util.HashMap<>()).labels().put("a", "b"));
  }
}
