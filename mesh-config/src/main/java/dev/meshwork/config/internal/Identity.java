package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The document's {@code mesh.identity}: its effective form, the {@link MeshTls} it builds (reading
 * files and starting renewal, so only when a mesh is built), and the section a running mesh's
 * security renders to.
 */
public final class Identity {
  private static final String PATH = "mesh.identity";
  private static final Pattern WORKLOAD = Pattern.compile("/ns/([^/]+)/sa/([^/]+)");

  private Identity() {}

  /** {@code node} with every default written out. */
  static ObjectNode effective(ObjectNode node, Problems problems) {
    if (node.has(SourceCompiler.UNEXPRESSIBLE)) {
      problems.add(
          DocPath.child(PATH, SourceCompiler.UNEXPRESSIBLE),
          node.get(SourceCompiler.UNEXPRESSIBLE).asText(),
          "an identity a document can express (this one was written from a running mesh;"
              + " configure it in code)");
      return node.deepCopy();
    }
    ObjectNode out = Fields.newObject();
    if (node.has("pemFiles")) {
      JsonNode pem = node.get("pemFiles");
      ObjectNode files = out.putObject("pemFiles");
      files.put("keyFile", pem.get("keyFile").asText());
      files.put("chainFile", pem.get("chainFile").asText());
      files.put("trustBundleFile", pem.get("trustBundleFile").asText());
      if (pem.has("trustDomain")) {
        files.put("trustDomain", pem.get("trustDomain").asText());
      }
      files.put(
          "pollInterval",
          Durations.format(
              Fields.duration(pem, "pollInterval", PemFileSource.DEFAULT_POLL_INTERVAL)));
    } else {
      JsonNode ca = node.get("builtInCa");
      ObjectNode builtIn = out.putObject("builtInCa");
      builtIn.put("directory", ca.get("directory").asText());
      builtIn.put("workload", ca.get("workload").asText());
      builtIn.put("namespace", Fields.text(ca, "namespace", "default"));
      builtIn.put(
          "leafLifetime",
          Durations.format(Fields.duration(ca, "leafLifetime", BuiltInCa.DEFAULT_LEAF_LIFETIME)));
      builtIn.put(
          "retryInterval",
          Durations.format(
              Fields.duration(ca, "retryInterval", BuiltInCaSource.DEFAULT_RETRY_INTERVAL)));
    }
    if (node.has("trustDomain")) {
      out.put("trustDomain", node.get("trustDomain").asText());
    }
    out.put("namespace", Fields.text(node, "namespace", "default"));
    out.put("allowTls12", Fields.bool(node, "allowTls12", false));
    return out;
  }

  /**
   * Builds the mesh's security from an effective identity section, with {@code clock} for its
   * certificate checks and renewals; the mesh closes its source.
   *
   * @throws Issue.Refused naming the section and the file at fault
   */
  public static MeshTls build(ObjectNode node, MeshClock clock, Problems problems) {
    CertificateSource source = null;
    String at = PATH;
    try {
      if (node.has("pemFiles")) {
        at = DocPath.child(PATH, "pemFiles");
        JsonNode pem = node.get("pemFiles");
        PemFileSource.Builder builder =
            PemFileSource.builder()
                .keyFile(SourceCompiler.filePath(pem.get("keyFile").asText()))
                .chainFile(SourceCompiler.filePath(pem.get("chainFile").asText()))
                .trustBundleFile(SourceCompiler.filePath(pem.get("trustBundleFile").asText()))
                .clock(clock)
                .pollInterval(Fields.duration(pem, "pollInterval", null));
        if (pem.has("trustDomain")) {
          builder.trustDomain(TrustDomain.of(pem.get("trustDomain").asText()));
        }
        source = builder.build();
      } else {
        at = DocPath.child(PATH, "builtInCa");
        JsonNode ca = node.get("builtInCa");
        BuiltInCa authority =
            BuiltInCa.builder()
                .clock(clock)
                .load(SourceCompiler.filePath(ca.get("directory").asText()));
        source =
            BuiltInCaSource.builder()
                .ca(authority)
                .spiffeId(
                    SpiffeId.forService(
                        authority.trustDomain(),
                        ca.get("namespace").asText(),
                        ca.get("workload").asText()))
                .clock(clock)
                .leafLifetime(Fields.duration(ca, "leafLifetime", null))
                .retryInterval(Fields.duration(ca, "retryInterval", null))
                .build();
      }
      at = PATH;
      MeshTls.Builder tls =
          MeshTls.builder()
              .source(source)
              .namespace(node.get("namespace").asText())
              .allowTls12(node.get("allowTls12").asBoolean())
              .closeSourceWithMesh(true);
      if (node.has("trustDomain")) {
        tls.trustDomain(node.get("trustDomain").asText());
      }
      return tls.build();
    } catch (MeshConfigException e) {
      problems.add(at, e);
    } catch (IOException e) {
      problems.add(at, e.getMessage(), "a readable built-in CA directory (" + e + ")");
    }
    if (source != null) {
      source.close();
    }
    problems.throwIfAny();
    throw new AssertionError("unreachable");
  }

  /** The identity section of a running mesh's {@code security}. */
  public static ObjectNode render(PeerSecurity security) {
    ObjectNode out = Fields.newObject();
    if (!(security instanceof MeshTls tls)) {
      return unexpressible(
          out, "peer security " + security.getClass().getName() + " (only MeshTls is expressible)");
    }
    CertificateSource source = tls.source();
    TrustDomain own;
    if (source instanceof PemFileSource pem) {
      ObjectNode files = out.putObject("pemFiles");
      files.put("keyFile", pem.keyFile().toString());
      files.put("chainFile", pem.chainFile().toString());
      files.put("trustBundleFile", pem.trustBundleFile().toString());
      pem.trustDomain().ifPresent(domain -> files.put("trustDomain", domain.name()));
      files.put("pollInterval", Durations.format(pem.pollInterval()));
      own = pem.current().spiffeId().trustDomain();
    } else if (source instanceof BuiltInCaSource builtIn
        && builtIn.ca().directory().isPresent()
        && WORKLOAD.matcher(builtIn.spiffeId().path()).matches()) {
      Matcher workload = WORKLOAD.matcher(builtIn.spiffeId().path());
      workload.matches();
      ObjectNode ca = out.putObject("builtInCa");
      ca.put("directory", builtIn.ca().directory().get().toString());
      ca.put("workload", workload.group(2));
      ca.put("namespace", workload.group(1));
      ca.put("leafLifetime", Durations.format(builtIn.leafLifetime()));
      ca.put("retryInterval", Durations.format(builtIn.retryInterval()));
      own = builtIn.spiffeId().trustDomain();
    } else {
      return unexpressible(
          out,
          "certificate source "
              + source.describe()
              + " (documents express PEM files and a built-in CA loaded from a directory)");
    }
    if (!tls.trustDomain().equals(own)) {
      out.put("trustDomain", tls.trustDomain().name());
    }
    out.put("namespace", tls.namespace());
    out.put("allowTls12", tls.allowTls12());
    return out;
  }

  private static ObjectNode unexpressible(ObjectNode out, String what) {
    out.put(SourceCompiler.UNEXPRESSIBLE, what + " cannot be written in a document");
    return out;
  }
}
