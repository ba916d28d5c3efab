package dev.meshwork.config.internal.imports;

import java.util.HashMap;
import java.util.Map;

/**
 * How a Kubernetes host names a Meshwork service: the name a client in the mesh calls. A cluster
 * Service is its short name ({@code reviews}, {@code reviews.prod.svc.cluster.local} and {@code
 * reviews.prod.svc} are all {@code reviews}); any other host, such as {@code api.example.org}, is
 * the service's name as written. Two cluster Services of one short name in different namespaces
 * would be one Meshwork service, so they are refused.
 */
final class Hosts {
  private static final String CLUSTER = ".svc.cluster.local";

  /** The namespace each short name was seen in. */
  private final Map<String, String> namespaces = new HashMap<>();

  /**
   * The service {@code host} (written at {@code at}) names, seen from an object in {@code
   * namespace}; null after reporting why it cannot name one.
   */
  String service(Node node, String at, String host, String namespace) {
    if (host.contains("*")) {
      node.report.error(
          node.manifest,
          at,
          host,
          "one service's host (a wildcard host names many; Meshwork configures services one by"
              + " one)");
      return null;
    }
    String name = host;
    String ns = namespace;
    String[] labels = host.split("\\.", -1);
    if (host.endsWith(CLUSTER) && labels.length == 5) {
      name = labels[0];
      ns = labels[1];
    } else if (host.endsWith(".svc") && labels.length == 3) {
      name = labels[0];
      ns = labels[1];
    } else if (labels.length > 1) {
      return host;
    }
    String seen = namespaces.putIfAbsent(name, ns);
    if (seen != null && !seen.equals(ns)) {
      node.report.error(
          node.manifest,
          at,
          host,
          "Services of one namespace per short name: '"
              + name
              + "' in namespace "
              + seen
              + " is also named here in "
              + ns
              + ", and both would be Meshwork service '"
              + name
              + "'");
      return null;
    }
    return name;
  }

  /** A Service's name seen from an object in {@code namespace} (Gateway API references). */
  String service(Node node, String at, String name, String namespace, boolean cluster) {
    return service(node, at, cluster ? name + "." + namespace + CLUSTER : name, namespace);
  }
}
