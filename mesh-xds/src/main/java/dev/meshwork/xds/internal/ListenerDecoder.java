package dev.meshwork.xds.internal;

import dev.meshwork.core.routing.Fault;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a client (API) Listener: its HTTP connection manager names a RouteConfiguration (inline
 * or by RDS) and may carry the fault filter, whose configuration is the default for every route.
 */
final class ListenerDecoder {
  static final String HCM_TYPE =
      "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  private static final String ROUTER_TYPE = "envoy.extensions.filters.http.router.v3.Router";

  /**
   * A decoded listener.
   *
   * @param rdsName the RouteConfiguration to fetch by RDS; empty when {@code inline} is set
   * @param inline the RouteConfiguration carried in the listener
   * @param faultFilter the fault filter's name, when the listener has one
   * @param fault the fault filter's own configuration (empty when it injects none)
   */
  record ListenerSpec(
      String name,
      Optional<String> rdsName,
      Optional<RouteDecoder.RouteConfigSpec> inline,
      Optional<String> faultFilter,
      Optional<Fault> fault,
      List<Unsupported> unsupported) {}

  private ListenerDecoder() {}

  static ListenerSpec decode(Listener listener) {
    String at = "Listener '" + listener.getName() + "'";
    Fields fields = new Fields(listener, "");
    fields.use("name");
    if (!listener.hasApiListener() || !listener.getApiListener().hasApiListener()) {
      throw new XdsRejection(
          at, "not a client listener: it has no api_listener with an HttpConnectionManager");
    }
    Fields api = fields.child("api_listener");
    if (!listener.getApiListener().getApiListener().getTypeUrl().endsWith("/" + HCM_TYPE)) {
      throw new XdsRejection(
          at + " api_listener",
          "holds "
              + listener.getApiListener().getApiListener().getTypeUrl()
              + ", not an HttpConnectionManager");
    }
    HttpConnectionManager hcm = api.unpack("api_listener", HttpConnectionManager.class);
    Fields manager = api.unpacked("api_listener");
    manager.use("stat_prefix", "codec_type");
    Optional<String> rds = Optional.empty();
    Optional<RouteDecoder.RouteConfigSpec> inline = Optional.empty();
    switch (hcm.getRouteSpecifierCase()) {
      case RDS -> {
        Fields rdsFields = manager.child("rds");
        rdsFields.use("route_config_name");
        configSource(
            hcm.getRds().getConfigSource(), rdsFields, "config_source", at + " rds.config_source");
        if (hcm.getRds().getRouteConfigName().isEmpty()) {
          throw new XdsRejection(at + " rds.route_config_name", "empty");
        }
        rds = Optional.of(hcm.getRds().getRouteConfigName());
      }
      case ROUTE_CONFIG -> {
        manager.use("route_config");
        inline = Optional.of(RouteDecoder.decode(hcm.getRouteConfig(), at + " route_config"));
      }
      default ->
          throw new XdsRejection(
              at,
              "its HttpConnectionManager has "
                  + hcm.getRouteSpecifierCase()
                  + "; Meshwork needs rds or route_config");
    }
    Optional<String> faultFilter = Optional.empty();
    Optional<Fault> fault = Optional.empty();
    boolean router = false;
    for (int i = 0; i < hcm.getHttpFiltersCount(); i++) {
      HttpFilter filter = hcm.getHttpFilters(i);
      Fields one = manager.child("http_filters", i);
      one.use("name", "is_optional");
      String type = filter.hasTypedConfig() ? filter.getTypedConfig().getTypeUrl() : "";
      if (type.endsWith("/" + ROUTER_TYPE)) {
        router = true;
        one.use("typed_config");
      } else if (type.endsWith("/" + RouteDecoder.FAULT_TYPE) && faultFilter.isEmpty()) {
        one.unsupported(
            "disabled",
            "Meshwork applies the fault filter to every route that does not override it");
        HTTPFault config = one.unpack("typed_config", HTTPFault.class);
        faultFilter = Optional.of(filter.getName());
        fault =
            FaultDecoder.decode(
                config, one.unpacked("typed_config"), at + " http_filters[" + i + "]");
      } else {
        one.use("typed_config");
        one.note(
            "name",
            filter.getName() + " (" + type + ")",
            "this HTTP filter is not applied by Meshwork");
      }
    }
    if (!router) {
      throw new XdsRejection(at + " http_filters", "no router filter (envoy.filters.http.router)");
    }
    List<Unsupported> unsupported = new ArrayList<>();
    fields.report("Listener", listener.getName(), unsupported);
    inline.ifPresent(spec -> unsupported.addAll(spec.unsupported()));
    return new ListenerSpec(listener.getName(), rds, inline, faultFilter, fault, unsupported);
  }

  /** Refuses a config source other than the ADS stream this client runs. */
  static void configSource(ConfigSource source, Fields fields, String field, String at) {
    if (!source.hasAds() && !source.hasSelf()) {
      throw new XdsRejection(
          at,
          source.getConfigSourceSpecifierCase()
              + " is not supported; Meshwork fetches every resource on its one ADS stream (ads or self)");
    }
    Fields config = fields.child(field);
    config.use("ads", "self", "resource_api_version");
    config.unsupported(
        "initial_fetch_timeout",
        "Meshwork waits for each resource until its does-not-exist timer ends");
  }
}
