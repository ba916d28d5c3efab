package dev.meshwork.xds.internal;

import com.google.protobuf.Any;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.Route;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Decodes a RouteConfiguration into route specs: each xDS route becomes a core {@link Route} whose
 * split names clusters as subsets. What the core keeps per service (timeout, retries, hash policy)
 * stays per route here; {@link ServiceAssembler} requires the routes of a service to agree on it.
 */
final class RouteDecoder {
  /** Envoy's route timeout when a route sets none. */
  static final Duration ENVOY_DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  static final String FAULT_TYPE = "envoy.extensions.filters.http.fault.v3.HTTPFault";

  /** A virtual host: the domains it serves and its routes in order. */
  record VirtualHostSpec(String name, List<String> domains, List<RouteSpec> routes) {}

  /**
   * One route. {@code faults} are the per-filter overrides by HTTP filter name: empty Optional for
   * an override that turns faults off.
   */
  record RouteSpec(
      String name,
      Consumer<Route.Builder> matchAndAction,
      Set<String> clusters,
      Optional<Duration> timeout,
      Optional<RetryDecoder.RetrySpec> retry,
      Optional<HashDecoder.HashSpec> hash,
      Map<String, Optional<Fault>> faults) {}

  /** A decoded RouteConfiguration. */
  record RouteConfigSpec(
      String name, List<VirtualHostSpec> virtualHosts, List<Unsupported> unsupported) {}

  private RouteDecoder() {}

  static RouteConfigSpec decode(RouteConfiguration config, String where) {
    Fields fields = new Fields(config, "");
    fields.use("name", "validate_clusters", "max_direct_response_body_size_bytes");
    List<VirtualHostSpec> hosts = new ArrayList<>();
    for (int i = 0; i < config.getVirtualHostsCount(); i++) {
      hosts.add(virtualHost(config.getVirtualHosts(i), fields.child("virtual_hosts", i), where));
    }
    List<Unsupported> unsupported = new ArrayList<>();
    fields.report("RouteConfiguration", config.getName(), unsupported);
    return new RouteConfigSpec(config.getName(), hosts, unsupported);
  }

  private static VirtualHostSpec virtualHost(VirtualHost host, Fields fields, String where) {
    fields.use("name", "domains", "virtual_clusters");
    Map<String, Optional<Fault>> hostFaults =
        faults(host.getTypedPerFilterConfigMap(), fields, "typed_per_filter_config", where);
    Optional<RetryDecoder.RetrySpec> hostRetry =
        host.hasRetryPolicy()
            ? Optional.of(RetryDecoder.decode(host.getRetryPolicy(), fields.child("retry_policy")))
            : Optional.empty();
    List<RequestMirrorPolicy> hostMirrors = host.getRequestMirrorPoliciesList();
    if (!hostMirrors.isEmpty()) {
      fields.use("request_mirror_policies");
    }
    List<RouteSpec> routes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < host.getRoutesCount(); i++) {
      io.envoyproxy.envoy.config.route.v3.Route route = host.getRoutes(i);
      String name = route.getName().isEmpty() ? host.getName() + "#" + i : route.getName();
      if (!names.add(name)) {
        name = name + "#" + i;
        names.add(name);
      }
      routes.add(
          route(route, name, fields.child("routes", i), where, hostFaults, hostRetry, hostMirrors));
    }
    return new VirtualHostSpec(host.getName(), host.getDomainsList(), routes);
  }

  private static RouteSpec route(
      io.envoyproxy.envoy.config.route.v3.Route route,
      String name,
      Fields fields,
      String where,
      Map<String, Optional<Fault>> hostFaults,
      Optional<RetryDecoder.RetrySpec> hostRetry,
      List<RequestMirrorPolicy> hostMirrors) {
    String at = where + " route '" + name + "'";
    fields.use("name", "metadata", "stat_prefix");
    if (!route.hasRoute()) {
      throw new XdsRejection(
          at,
          "its action is "
              + route.getActionCase()
              + "; Meshwork only forwards (redirects, direct responses and non-forwarding"
              + " actions are not supported)");
    }
    List<Consumer<Route.Builder>> parts = new ArrayList<>();
    match(route.getMatch(), fields.child("match"), at, parts);
    Set<String> clusters = new LinkedHashSet<>();
    RouteAction action = route.getRoute();
    Fields actionFields = fields.child("route");
    destination(action, actionFields, at, parts, clusters);
    Optional<Duration> timeout = Optional.of(ENVOY_DEFAULT_TIMEOUT);
    if (action.hasTimeout()) {
      actionFields.use("timeout");
      Duration value = Matchers.duration(action.getTimeout());
      timeout = value.isZero() ? Optional.empty() : Optional.of(value);
    }
    Optional<RetryDecoder.RetrySpec> retry =
        action.hasRetryPolicy()
            ? Optional.of(
                RetryDecoder.decode(action.getRetryPolicy(), actionFields.child("retry_policy")))
            : hostRetry;
    Optional<HashDecoder.HashSpec> hash = HashDecoder.decode(action, actionFields);
    List<RequestMirrorPolicy> mirrors = action.getRequestMirrorPoliciesList();
    Fields mirrorFields = actionFields;
    actionFields.unsupported(
        "request_mirror_policies", "Meshwork mirrors to one cluster per route; the first is used");
    if (mirrors.isEmpty()) {
      mirrors = hostMirrors;
      mirrorFields = null;
    }
    for (int i = 0; i < mirrors.size(); i++) {
      RequestMirrorPolicy mirror = mirrors.get(i);
      Fields one =
          mirrorFields == null
              ? new Fields(mirror, "")
              : mirrorFields.child("request_mirror_policies", i);
      if (i > 0) {
        continue;
      }
      if (mirror.getCluster().isEmpty()) {
        throw new XdsRejection(
            at + " request_mirror_policies[0]",
            "cluster_header is not supported; name the cluster");
      }
      one.use("cluster", "disable_shadow_host_suffix_append");
      one.unsupported("trace_sampled", "copies are not tied to trace sampling");
      double percent =
          mirror.hasRuntimeFraction()
              ? Matchers.percent(mirror.getRuntimeFraction(), one.child("runtime_fraction"))
              : 100;
      clusters.add(mirror.getCluster());
      String cluster = mirror.getCluster();
      parts.add(r -> r.mirror(cluster, percent));
    }
    Map<String, Optional<Fault>> faults = new LinkedHashMap<>(hostFaults);
    faults.putAll(
        faults(route.getTypedPerFilterConfigMap(), fields, "typed_per_filter_config", at));
    Consumer<Route.Builder> all = r -> parts.forEach(p -> p.accept(r));
    try {
      Route.Builder trial = Route.builder(name);
      all.accept(trial);
      trial.build();
    } catch (MeshConfigException e) {
      throw new XdsRejection(at, e.getMessage());
    }
    return new RouteSpec(name, all, clusters, timeout, retry, hash, faults);
  }

  private static void match(
      RouteMatch match, Fields fields, String at, List<Consumer<Route.Builder>> parts) {
    boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    fields.use("case_sensitive");
    switch (match.getPathSpecifierCase()) {
      case PREFIX -> {
        fields.use("prefix");
        String prefix = match.getPrefix();
        if (!caseSensitive) {
          parts.add(r -> r.pathRegex("(?i)" + Pattern.quote(prefix) + ".*"));
        } else if (prefix.startsWith("/") && !prefix.equals("/")) {
          parts.add(r -> r.pathPrefix(prefix));
        } else if (!prefix.isEmpty() && !prefix.equals("/")) {
          parts.add(r -> r.pathRegex(Pattern.quote(prefix) + ".*"));
        }
      }
      case PATH -> {
        fields.use("path");
        String path = match.getPath();
        parts.add(
            caseSensitive
                ? r -> r.pathExact(path)
                : r -> r.pathRegex("(?i)" + Pattern.quote(path)));
      }
      case SAFE_REGEX -> {
        fields.use("safe_regex");
        String regex = Matchers.regex(match.getSafeRegex(), at + " match.safe_regex");
        parts.add(r -> r.pathRegex(regex));
      }
      case PATH_SEPARATED_PREFIX -> {
        fields.use("path_separated_prefix");
        String prefix = match.getPathSeparatedPrefix();
        String flags = caseSensitive ? "" : "(?i)";
        parts.add(r -> r.pathRegex(flags + Pattern.quote(prefix) + "(/.*)?"));
      }
      default ->
          throw new XdsRejection(
              at + " match", match.getPathSpecifierCase() + " path matching is not supported");
    }
    for (String refused :
        List.of(
            "query_parameters",
            "runtime_fraction",
            "grpc",
            "tls_context",
            "dynamic_metadata",
            "filter_state",
            "connect_matcher")) {
      if (hasField(match, refused)) {
        throw new XdsRejection(
            at + " match." + refused,
            "matching on it is not supported; honouring the rest of the match would send calls to"
                + " the wrong destination");
      }
    }
    for (int i = 0; i < match.getHeadersCount(); i++) {
      parts.add(
          header(
              match.getHeaders(i), fields.child("headers", i), at + " match.headers[" + i + "]"));
    }
  }

  /** A header condition; {@code :method} becomes a method condition. */
  // The deprecated matchers are still what many control planes send.
  @SuppressWarnings("deprecation")
  static Consumer<Route.Builder> header(HeaderMatcher header, Fields fields, String at) {
    fields.use("name");
    String name = header.getName();
    if (header.getInvertMatch() || header.getTreatMissingHeaderAsEmpty()) {
      throw new XdsRejection(at, "inverted matches and missing-as-empty are not supported");
    }
    if (name.startsWith(":") && !name.equals(":method")) {
      throw new XdsRejection(at, "matching on pseudo-header " + name + " is not supported");
    }
    return switch (header.getHeaderMatchSpecifierCase()) {
      case PRESENT_MATCH -> {
        fields.use("present_match");
        if (!header.getPresentMatch()) {
          throw new XdsRejection(at, "matching on an absent header is not supported");
        }
        yield r -> r.headerPresent(name);
      }
      case EXACT_MATCH -> {
        fields.use("exact_match");
        yield exact(name, header.getExactMatch());
      }
      case STRING_MATCH -> {
        Fields string = fields.child("string_match");
        if (Matchers.isExact(header.getStringMatch())) {
          string.use("exact", "ignore_case");
          yield exact(name, header.getStringMatch().getExact());
        }
        if (name.equals(":method")) {
          throw new XdsRejection(at, "only exact :method matches are supported");
        }
        String regex = Matchers.regex(header.getStringMatch(), string);
        yield r -> r.headerRegex(name, regex);
      }
      case SAFE_REGEX_MATCH -> {
        fields.use("safe_regex_match");
        String regex = Matchers.regex(header.getSafeRegexMatch(), at + ".safe_regex_match");
        yield regex(name, regex, at);
      }
      case PREFIX_MATCH -> {
        fields.use("prefix_match");
        yield regex(name, Pattern.quote(header.getPrefixMatch()) + ".*", at);
      }
      case SUFFIX_MATCH -> {
        fields.use("suffix_match");
        yield regex(name, ".*" + Pattern.quote(header.getSuffixMatch()), at);
      }
      case CONTAINS_MATCH -> {
        fields.use("contains_match");
        yield regex(name, ".*" + Pattern.quote(header.getContainsMatch()) + ".*", at);
      }
      default ->
          throw new XdsRejection(
              at, header.getHeaderMatchSpecifierCase() + " header matching is not supported");
    };
  }

  private static Consumer<Route.Builder> exact(String name, String value) {
    return name.equals(":method") ? r -> r.methods(value) : r -> r.header(name, value);
  }

  private static Consumer<Route.Builder> regex(String name, String regex, String at) {
    if (name.equals(":method")) {
      throw new XdsRejection(at, "only exact :method matches are supported");
    }
    return r -> r.headerRegex(name, regex);
  }

  private static void destination(
      RouteAction action,
      Fields fields,
      String at,
      List<Consumer<Route.Builder>> parts,
      Set<String> clusters) {
    switch (action.getClusterSpecifierCase()) {
      case CLUSTER -> {
        fields.use("cluster");
        String cluster = action.getCluster();
        clusters.add(cluster);
        parts.add(r -> r.to(cluster));
      }
      case WEIGHTED_CLUSTERS -> {
        Fields weighted = fields.child("weighted_clusters");
        weighted.use("total_weight");
        weighted.unsupported(
            "runtime_key_prefix", "Meshwork has no runtime layer; the weights given are used");
        if (!action.getWeightedClusters().getHeaderName().isEmpty()) {
          throw new XdsRejection(
              at + " weighted_clusters.header_name",
              "choosing the cluster from a header is not supported");
        }
        List<ClusterWeight> weights = action.getWeightedClusters().getClustersList();
        for (int i = 0; i < weights.size(); i++) {
          ClusterWeight weight = weights.get(i);
          Fields one = weighted.child("clusters", i);
          one.use("name", "weight");
          if (weight.getName().isEmpty()) {
            throw new XdsRejection(
                at + " weighted_clusters.clusters[" + i + "]",
                "cluster_header is not supported; name the cluster");
          }
          if (!weight.getTypedPerFilterConfigMap().isEmpty()) {
            one.use("typed_per_filter_config");
            one.note(
                "typed_per_filter_config",
                weight.getTypedPerFilterConfigMap().keySet(),
                "per-cluster filter configuration is not supported");
          }
          if (weight.hasHostRewriteLiteral()) {
            throw new XdsRejection(
                at + " weighted_clusters.clusters[" + i + "].host_rewrite_literal",
                "host rewrites are not supported");
          }
          long value = weight.hasWeight() ? weight.getWeight().getValue() : 0;
          if (value > Integer.MAX_VALUE) {
            throw new XdsRejection(
                at + " weighted_clusters.clusters[" + i + "].weight",
                value + " is larger than " + Integer.MAX_VALUE);
          }
          String cluster = weight.getName();
          clusters.add(cluster);
          parts.add(r -> r.split(cluster, (int) value));
        }
      }
      default ->
          throw new XdsRejection(
              at,
              "its destination is "
                  + action.getClusterSpecifierCase()
                  + "; Meshwork needs a cluster or weighted_clusters");
    }
    for (String rewrite :
        List.of(
            "prefix_rewrite",
            "regex_rewrite",
            "path_rewrite_policy",
            "host_rewrite_literal",
            "auto_host_rewrite",
            "host_rewrite_header",
            "host_rewrite_path_regex")) {
      if (hasField(action, rewrite)) {
        throw new XdsRejection(
            at + " route." + rewrite,
            "rewrites are not supported; the backend would get another request than the control"
                + " plane asks for");
      }
    }
    if (action.hasMetadataMatch()) {
      throw new XdsRejection(
          at + " route.metadata_match", "endpoint subsets by metadata are not supported");
    }
  }

  /** The fault overrides among {@code configs}; other filters' overrides are reported. */
  static Map<String, Optional<Fault>> faults(
      Map<String, Any> configs, Fields fields, String field, String at) {
    Map<String, Optional<Fault>> faults = new LinkedHashMap<>();
    if (configs.isEmpty()) {
      return faults;
    }
    fields.use(field);
    for (Map.Entry<String, Any> entry : configs.entrySet()) {
      String key = field + "[" + entry.getKey() + "]";
      if (!entry.getValue().getTypeUrl().endsWith("/" + FAULT_TYPE)) {
        fields.note(key, entry.getValue().getTypeUrl(), "this filter is not applied by Meshwork");
        continue;
      }
      HTTPFault fault = fields.unpack(key, entry.getValue(), HTTPFault.class, field);
      faults.put(entry.getKey(), FaultDecoder.decode(fault, fields.unpacked(key), at + " " + key));
    }
    return faults;
  }

  private static boolean hasField(com.google.protobuf.Message message, String name) {
    var field = message.getDescriptorForType().findFieldByName(name);
    return field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
  }
}
