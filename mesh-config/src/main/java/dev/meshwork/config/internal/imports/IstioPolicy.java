package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.Fields;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports an Istio {@code DestinationRule}: its subsets and its traffic policy (load balancer,
 * connection pool, outlier detection, TLS) onto its host's Meshwork service.
 */
final class IstioPolicy {
  private IstioPolicy() {}

  /** Reads the rule's subsets first, so VirtualServices anywhere in the input can name them. */
  static void subsets(Manifest manifest, Context context) {
    JsonNode spec = manifest.root().path("spec");
    JsonNode host = spec.path("host");
    if (!host.isTextual()) {
      return;
    }
    Node probe = Node.of(manifest, "spec", spec, new Report(manifest.source(), false));
    String service =
        probe == null
            ? null
            : new Hosts().service(probe, "spec.host", host.asText(), manifest.namespace());
    if (service == null) {
      return;
    }
    Map<String, Map<String, String>> subsets =
        context.subsets.computeIfAbsent(service, s -> new LinkedHashMap<>());
    for (JsonNode subset : spec.path("subsets")) {
      if (subset.path("name").isTextual()) {
        Map<String, String> labels = new LinkedHashMap<>();
        subset
            .path("labels")
            .fields()
            .forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
        subsets.put(subset.path("name").asText(), labels);
      }
    }
  }

  static void destinationRule(Manifest manifest, Context context) {
    Node spec = Node.of(manifest, "spec", manifest.root().path("spec"), context.report);
    if (spec == null) {
      return;
    }
    String host = spec.text("host");
    String service =
        host == null
            ? null
            : context.hosts.service(spec, spec.at("host"), host, manifest.namespace());
    if (host == null) {
      context.report.error(manifest, spec.at("host"), "", "the host whose calls the rule governs");
    }
    spec.unsupported(
        "exportTo",
        "visibility across namespaces; a mesh document applies to the mesh that loads it",
        false);
    spec.unsupported(
        "workloadSelector",
        "a rule for some client workloads only: a mesh document applies to every call of the mesh",
        true);
    Node policy = spec.object("trafficPolicy");
    List<Node> subsets = spec.objects("subsets");
    spec.finish();
    if (service == null) {
      return;
    }
    String previous = context.governedBy.putIfAbsent(service, manifest.label());
    if (previous != null) {
      context.report.error(
          manifest,
          spec.at("host"),
          host,
          "one DestinationRule per service (" + previous + " governs '" + service + "' already)");
      return;
    }
    ObjectNode entry = context.out.service(service, spec.location("host"));
    String path = Out.servicePath(service);
    if (!subsets.isEmpty()) {
      ObjectNode declared = context.out.object(entry, path, "subsets", spec.location("subsets"));
      for (Node subset : subsets) {
        String name = subset.text("name");
        Node labels = subset.object("labels");
        subset.unsupported(
            "trafficPolicy",
            "a policy for one subset: Meshwork's policies are the service's",
            true);
        subset.finish();
        if (name == null) {
          subset.report.error(subset.manifest, subset.at("name"), "", "the subset's name");
          continue;
        }
        ObjectNode values = Fields.newObject();
        if (labels != null) {
          Iterator<String> keys = labels.node.fieldNames();
          while (keys.hasNext()) {
            String key = keys.next();
            String value = labels.text(key);
            if (value != null) {
              values.put(key, value);
            }
          }
          labels.finish();
        }
        if (values.isEmpty()) {
          subset.report.error(
              subset.manifest,
              subset.at("labels"),
              "",
              "labels that select the subset's endpoints");
          continue;
        }
        context.out.put(declared, DocPath.child(path, "subsets"), name, values, subset.location());
      }
    }
    if (policy != null) {
      trafficPolicy(policy, entry, path, context);
    }
  }

  private static void trafficPolicy(Node policy, ObjectNode entry, String path, Context context) {
    Node balancer = policy.object("loadBalancer");
    if (balancer != null) {
      IstioBalancer.apply(balancer, entry, path, context);
    }
    Node pool = policy.object("connectionPool");
    if (pool != null) {
      connectionPool(pool, entry, path, context);
    }
    Node outliers = policy.object("outlierDetection");
    if (outliers != null) {
      ObjectNode built = outlierDetection(outliers);
      if (built != null) {
        context.out.put(entry, path, "outlierDetection", built, outliers.location());
      }
    }
    Node tls = policy.object("tls");
    if (tls != null) {
      tls(tls, entry, path, context);
    }
    policy.unsupported(
        "portLevelSettings", "a policy for one port: Meshwork's policies are the service's", true);
    policy.unsupported("tunnel", "tunnelling calls through a proxy", true);
    policy.unsupported("proxyProtocol", "the PROXY protocol header", true);
    Node budget = policy.object("retryBudget");
    if (budget != null) {
      BigDecimal percent = budget.number("percent", 0, 100);
      Long min = budget.integer("minRetryConcurrency", 0, Integer.MAX_VALUE);
      Duration window = budget.duration("budgetInterval");
      budget.finish();
      ObjectNode built = Fields.newObject();
      if (percent != null) {
        built.set("percent", Fields.number(percent.doubleValue()));
      }
      if (min != null) {
        context.report.unsupported(
            budget.manifest,
            budget.at("minRetryConcurrency"),
            budget.node.get("minRetryConcurrency"),
            "Meshwork's budget keeps a reserve of retries per second, not of concurrent retries",
            false);
      }
      if (window != null && !window.isZero()) {
        built.put("window", Context.duration(window));
      }
      context.out.put(entry, path, "retryBudget", built, budget.location());
    }
    policy.finish();
  }

  private static void connectionPool(Node pool, ObjectNode entry, String path, Context context) {
    ObjectNode limits = Fields.newObject();
    Node tcp = pool.object("tcp");
    if (tcp != null) {
      Duration connect = tcp.duration("connectTimeout");
      if (connect != null && !connect.isZero()) {
        ObjectNode timeouts = context.out.object(entry, path, "timeouts", tcp.location());
        context.out.put(
            timeouts,
            DocPath.child(path, "timeouts"),
            "connect",
            TextNode.valueOf(Context.duration(connect)),
            tcp.location("connectTimeout"));
      }
      tcp.unsupported(
          "maxConnections",
          "a limit on connections to all endpoints: Meshwork limits connections per endpoint"
              + " (limits.maxConnectionsPerEndpoint)",
          false);
      String transport = "a TCP setting Meshwork's transport does not take per service";
      tcp.unsupported("tcpKeepalive", transport, false);
      tcp.unsupported("maxConnectionDuration", transport, false);
      tcp.unsupported("idleTimeout", transport, false);
      tcp.finish();
    }
    Node http = pool.object("http");
    if (http != null) {
      Long pending = http.integer("http1MaxPendingRequests", 0, Integer.MAX_VALUE);
      Long requests = http.integer("http2MaxRequests", 1, Integer.MAX_VALUE);
      if (pending != null) {
        limits.put("maxPending", pending);
      }
      if (requests != null) {
        limits.put("maxRequests", requests);
      }
      http.unsupported(
          "maxRetries",
          "a cap on concurrent retries: Meshwork bounds retries with its retry budget",
          false);
      String transport =
          "an HTTP connection setting Meshwork's transport does not take per service";
      for (String key :
          List.of(
              "maxRequestsPerConnection",
              "idleTimeout",
              "h2UpgradePolicy",
              "useClientProtocol",
              "maxConcurrentStreams",
              "http2KeepAlive")) {
        http.unsupported(key, transport, false);
      }
      http.finish();
    }
    pool.finish();
    if (!limits.isEmpty()) {
      context.out.put(entry, path, "limits", limits, pool.location());
    }
  }

  /**
   * Outlier detection with Istio's defaults for what the section leaves unset: 5 consecutive 5xx,
   * gateway errors not counted on their own, 10s interval, 30s ejection, 10% ejected at most, a
   * panic threshold of {@code minHealthPercent} (0), and no success-rate ejection.
   */
  private static ObjectNode outlierDetection(Node node) {
    Long consecutive5xx = node.integer("consecutive5xxErrors", 0, Integer.MAX_VALUE);
    Long gateway = node.integer("consecutiveGatewayErrors", 0, Integer.MAX_VALUE);
    Duration interval = node.duration("interval");
    Duration ejection = node.duration("baseEjectionTime");
    Long maxPercent = node.integer("maxEjectionPercent", 0, 100);
    Long minHealth = node.integer("minHealthPercent", 0, 100);
    node.unsupported(
        "consecutiveErrors",
        "the old name of consecutive5xxErrors; Istio v1 has no such field",
        true);
    String local = "Meshwork counts connection failures with the 5xx of an endpoint";
    node.unsupported("splitExternalLocalOriginErrors", local, false);
    node.unsupported("consecutiveLocalOriginFailures", local, false);
    node.unsupported(
        "outlierDetectionHttpErrorCodes",
        "Meshwork counts 5xx (and gateway errors) as an endpoint's failures",
        true);
    node.finish();
    long fives = consecutive5xx == null ? 5 : consecutive5xx;
    long gateways = gateway == null ? 0 : gateway;
    ObjectNode built = Fields.newObject();
    if (fives == 0 && gateways == 0) {
      built.put("enabled", false);
      return built;
    }
    if (fives == 0) {
      node.report.unsupported(
          node.manifest,
          node.at("consecutive5xxErrors"),
          node.node.get("consecutive5xxErrors"),
          "ejecting on gateway errors alone: Meshwork's 5xx count includes gateway errors",
          true);
      return null;
    }
    built.put("consecutive5xx", fives);
    // Gateway errors are 5xx too: a threshold no lower than the 5xx one adds nothing, as in Envoy.
    built.put("consecutiveGatewayFailures", gateways == 0 ? fives : Math.min(gateways, fives));
    built.put("interval", Context.duration(interval == null ? Duration.ofSeconds(10) : interval));
    Duration base = ejection == null ? Duration.ofSeconds(30) : ejection;
    built.put("baseEjectionTime", Context.duration(base));
    if (base.compareTo(Duration.ofMinutes(5)) > 0) {
      built.put("maxEjectionTime", Context.duration(base));
    }
    built.put("maxEjectionPercent", maxPercent == null ? 10 : maxPercent);
    built.putObject("successRate").put("enabled", false);
    built.put("panicThresholdPercent", minHealth == null ? 0 : minHealth);
    return built;
  }

  private static void tls(Node tls, ObjectNode entry, String path, Context context) {
    String mode = tls.text("mode");
    List<String> names = tls.texts("subjectAltNames");
    String files = "certificates of its own for one service: Meshwork uses the mesh's identity";
    for (String key :
        List.of(
            "clientCertificate",
            "privateKey",
            "caCertificates",
            "credentialName",
            "caCrl",
            "sni",
            "insecureSkipVerify")) {
      tls.unsupported(key, files, true);
    }
    tls.finish();
    if (mode == null || mode.equals("DISABLE")) {
      context.out.put(entry, path, "tls", TextNode.valueOf("disabled"), tls.location("mode"));
      return;
    }
    if (!mode.equals("ISTIO_MUTUAL")) {
      tls.report.unsupported(
          tls.manifest,
          tls.at("mode"),
          TextNode.valueOf(mode),
          mode.equals("SIMPLE") || mode.equals("MUTUAL")
              ? "TLS with certificates of its own: Meshwork speaks mutual TLS with the mesh's"
                  + " identity (ISTIO_MUTUAL) or plaintext (DISABLE)"
              : "one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL",
          true);
      return;
    }
    context.out.put(entry, path, "tls", TextNode.valueOf("mutual"), tls.location("mode"));
    if (!names.isEmpty()) {
      context.out.put(
          entry, path, "peerIdentities", Fields.array(names), tls.location("subjectAltNames"));
    }
  }
}
