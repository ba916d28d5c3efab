package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.exception.MeshConfigException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Fuzzes SPIFFE ID parsing, which every peer certificate's URI SAN goes through, against a model
 * written from the standard: an ID is accepted exactly when the model accepts it, reads back from
 * its text and URI unchanged, and is otherwise refused with a {@link MeshConfigException} naming
 * the SPIFFE ID. Seeds: {@code src/test/resources/dev/meshwork/tls/SpiffeIdFuzzTestInputs}.
 */
class SpiffeIdFuzzTest {
  private static final Pattern MODEL =
      Pattern.compile("spiffe://[a-z0-9._-]{1,255}(/[A-Za-z0-9._-]+)*");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  /**
   * Input: an ID on the first line; a namespace and a service on the next two, for the default
   * service form in the ID's trust domain.
   */
  @FuzzTest
  void parse(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 3);
    String text = lines[0];
    TrustDomain domain = TrustDomain.DEFAULT;
    try {
      SpiffeId id = SpiffeId.parse(text);
      assertTrue(valid(text), "accepted '" + text + "', which the standard refuses");
      assertEquals(text, id.toString(), "the ID reads back as written");
      assertEquals(id, SpiffeId.parse(id.toString()));
      assertEquals(text, id.toUri().toString(), "the URI a certificate carries");
      assertEquals(id, SpiffeId.parse(id.toUri().toString()));
      assertEquals(id.trustDomain(), TrustDomain.of(id.trustDomain().name()));
      assertEquals(id.path().isEmpty(), id.isTrustDomainId());
      domain = id.trustDomain();
    } catch (MeshConfigException e) {
      assertTrue(!valid(text), "refused '" + text + "', which the standard allows: " + e);
      assertTrue(e.field().startsWith("SPIFFE ID"), "the refusal names the ID: " + e.getMessage());
    }
    if (lines.length == 3) {
      String namespace = lines[1];
      String service = lines[2];
      try {
        SpiffeId id = SpiffeId.forService(domain, namespace, service);
        assertTrue(segment(namespace) && segment(service), "accepted " + id);
        assertTrue(
            id.toString().length() <= 2048 && MODEL.matcher(id.toString()).matches(),
            "a valid ID: " + id);
        assertEquals(id, SpiffeId.parse(id.toString()));
      } catch (MeshConfigException e) {
        assertTrue(
            !segment(namespace)
                || !segment(service)
                || ("spiffe://" + domain + "/ns/" + namespace + "/sa/" + service).length() > 2048,
            "refused namespace '" + namespace + "' and service '" + service + "': " + e);
        assertTrue(e.field().startsWith("SPIFFE ID"), "the refusal names the ID: " + e);
      }
    }
  }

  private static boolean valid(String id) {
    if (id.getBytes(StandardCharsets.UTF_8).length > 2048 || !MODEL.matcher(id).matches()) {
      return false;
    }
    int slash = id.indexOf('/', "spiffe://".length());
    if (slash < 0) {
      return true;
    }
    for (String segment : id.substring(slash + 1).split("/", -1)) {
      if (!segment(segment)) {
        return false;
      }
    }
    return true;
  }

  private static boolean segment(String segment) {
    return SEGMENT.matcher(segment).matches() && !segment.equals(".") && !segment.equals("..");
  }
}
