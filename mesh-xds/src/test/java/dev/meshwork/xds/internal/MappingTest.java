package dev.meshwork.xds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.xds.internal.ServiceAssembler.Lookup;
import dev.meshwork.xds.internal.ServiceAssembler.Plan;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Envoy resources in, core configuration out: field by field, without a control plane. */
@SuppressWarnings("deprecation") // Istio sends the deprecated SAN matcher field.
class MappingTest {
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
  private static final String LISTENER = "mathoid:8080";

  private static Listener listener(HttpFilter... extra) {
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setRds(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds
                    .newBuilder()
                    .setConfigSource(ADS)
                    .setRouteConfigName("routes"));
    for (HttpFilter filter : extra) {
      hcm.addHttpFilters(filter);
    }
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName("router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return Listener.newBuilder()
        .setName(LISTENER)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm.build())))
        .build();
  }

  private static io.envoyproxy.envoy.config.route.v3.Route.Builder route(
      String name, String cluster) {
    return io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix("/" + name))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  private static RouteConfiguration routes(
      io.envoyproxy.envoy.config.route.v3.Route.Builder... routes) {
    VirtualHost.Builder host = VirtualHost.newBuilder().setName("vh").addDomains(LISTENER);
    for (io.envoyproxy.envoy.config.route.v3.Route.Builder route : routes) {
      host.addRoutes(route);
    }
    return RouteConfiguration.newBuilder().setName("routes").addVirtualHosts(host).build();
  }

  private static Cluster.Builder cluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS));
  }

  private static Plan assemble(Listener listener, RouteConfiguration routes, Cluster... clusters) {
    var listenerSpec = ListenerDecoder.decode(listener);
    var routeSpec = RouteDecoder.decode(routes, "RouteConfiguration 'routes'");
    Map<String, ClusterDecoder.ClusterSpec> specs = new java.util.HashMap<>();
    for (Cluster cluster : clusters) {
      specs.put(cluster.getName(), ClusterDecoder.decode(cluster));
    }
    return ServiceAssembler.assemble(
        LISTENER,
        new ServiceAssembler.Resources() {
          @Override
          public Lookup<ListenerDecoder.ListenerSpec> listener(String name) {
            return Lookup.of(listenerSpec);
          }

          @Override
          public Lookup<RouteDecoder.RouteConfigSpec> routes(String name) {
            return Lookup.of(routeSpec);
          }

          @Override
          public Lookup<ClusterDecoder.ClusterSpec> cluster(String name) {
            return specs.containsKey(name) ? Lookup.of(specs.get(name)) : Lookup.doesNotExist();
          }

          @Override
          public Lookup<EndpointDecoder.EndpointsSpec> endpoints(String name) {
            return Lookup.of(new EndpointDecoder.EndpointsSpec(name, List.of(), List.of()));
          }
        },
        service -> new XdsEndpointSource(service),
        new CertificateProviders(Set.of("default"), "it comes from [default]"),
        EndpointUnion.EMPTY);
  }

  @Test
  void clustersBecomeSubsetsAndUnmatchedCallsAnswer404AsInEnvoy() {
    ServiceConfig config =
        assemble(
                listener(),
                routes(route("render", "v1"), route("check", "v2")),
                cluster("v1").build(),
                cluster("v2").build())
            .config()
            .orElseThrow();

    assertEquals("mathoid", config.name().toString());
    assertEquals(Set.of("v1", "v2"), config.routes().subsets().keySet());
    assertEquals(Map.of("xds.cluster/v1", "true"), config.routes().subsets().get("v1").labels());
    List<Route> table = config.routes().routes();
    assertEquals(
        List.of("render", "check", ServiceAssembler.NO_ROUTE),
        table.stream().map(Route::name).toList());
    assertEquals(404, table.get(2).fault().orElseThrow().abortStatus());
    // No retry_policy means no retries in Envoy; an unset route timeout is Envoy's 15 s.
    assertEquals(1, config.retries().maxAttempts());
    assertEquals(Duration.ofSeconds(15), config.timeouts().deadline().orElseThrow());
    assertEquals(TlsMode.DISABLED, config.tls().orElseThrow());
  }

  @Test
  void retryPolicyTimeoutAndClusterSettingsMapOntoTheService() {
    RetryPolicy retry =
        RetryPolicy.newBuilder()
            .setRetryOn("connect-failure,retriable-status-codes,unavailable")
            .addRetriableStatusCodes(503)
            .setNumRetries(UInt32Value.of(3))
            .setPerTryTimeout(Durations.fromMillis(300))
            .build();
    Cluster cluster =
        cluster("v1")
            .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
            .setConnectTimeout(Durations.fromSeconds(2))
            .setCircuitBreakers(
                CircuitBreakers.newBuilder()
                    .addThresholds(
                        CircuitBreakers.Thresholds.newBuilder()
                            .setMaxRequests(UInt32Value.of(100))
                            .setMaxPendingRequests(UInt32Value.of(10))
                            .setMaxRetries(UInt32Value.of(3))))
            .setOutlierDetection(
                OutlierDetection.newBuilder()
                    .setConsecutive5Xx(UInt32Value.of(3))
                    .setInterval(Durations.fromSeconds(1))
                    .setEnforcingSuccessRate(UInt32Value.of(0)))
            .build();
    var routeBuilder = route("render", "v1");
    routeBuilder.getRouteBuilder().setRetryPolicy(retry).setTimeout(Durations.fromSeconds(2));
    Plan plan = assemble(listener(), routes(routeBuilder), cluster);
    ServiceConfig config = plan.config().orElseThrow();

    assertEquals(4, config.retries().maxAttempts());
    assertEquals(
        Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RETRIABLE_STATUS), config.retries().retryOn());
    assertEquals(Set.of(503), config.retries().retriableStatuses());
    assertEquals(Duration.ofMillis(300), config.timeouts().perTry().orElseThrow());
    assertEquals(Duration.ofSeconds(2), config.timeouts().deadline().orElseThrow());
    assertEquals(Duration.ofSeconds(2), config.timeouts().connect());
    assertEquals(100, config.limits().maxRequests());
    assertEquals(10, config.limits().maxPending());
    assertEquals(3, config.outlierDetection().consecutive5xx());
    assertEquals(Duration.ofSeconds(1), config.outlierDetection().interval());
    assertTrue(!config.outlierDetection().successRateEnabled());
    assertTrue(config.loadBalancer().name().startsWith("least"), config.loadBalancer().name());
    // What is not honoured is reported once each, by resource, path and value.
    List<String> reported = plan.unsupported().stream().map(Unsupported::toString).toList();
    assertTrue(
        reported.contains(
            "RouteConfiguration 'routes' virtual_hosts[0].routes[0].route.retry_policy.retry_on = unavailable: gRPC status conditions do not apply to HTTP calls"),
        reported.toString());
    assertTrue(
        reported.contains(
                "Cluster 'v1' circuit_breakers.thresholds[0].max_retries = value: 3: Meshwork bounds retries with its retry budget (20% of calls)")
            || reported.stream()
                .anyMatch(
                    r ->
                        r.startsWith(
                            "Cluster 'v1' circuit_breakers.thresholds[0].max_retries = {value: 3}")),
        reported.toString());
  }

  @Test
  void everyUnreadFieldIsReportedWithItsPathAndValue() {
    var routeBuilder = route("render", "v1");
    routeBuilder.addRequestHeadersToAdd(
        HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey("x-team").setValue("math")));
    HttpFilter cors =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.cors")
            .setTypedConfig(
                Any.pack(Router.getDefaultInstance()).toBuilder()
                    .setTypeUrl("type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"))
            .build();
    Plan plan =
        assemble(
            listener(cors),
            routes(routeBuilder),
            cluster("v1").setMaxRequestsPerConnection(UInt32Value.of(10)).build());

    List<String> reported = plan.unsupported().stream().map(Unsupported::toString).toList();
    assertTrue(
        reported.stream()
            .anyMatch(
                r ->
                    r.startsWith(
                        "RouteConfiguration 'routes' virtual_hosts[0].routes[0].request_headers_to_add[0] = {header { key: \"x-team\" value: \"math\" }}")),
        reported.toString());
    assertTrue(
        reported.contains(
            "Cluster 'v1' max_requests_per_connection = {value: 10}: not supported by Meshwork"),
        reported.toString());
    assertTrue(
        reported.stream()
            .anyMatch(
                r ->
                    r.startsWith(
                        "Listener 'mathoid:8080' api_listener.api_listener.http_filters[0].name = envoy.filters.http.cors")),
        reported.toString());
  }

  @Test
  void routesWithOneTimeoutGiveItToTheServiceAndDifferingOnesKeepTheirOwn() {
    var slow = route("slow", "v1");
    slow.getRouteBuilder().setTimeout(Durations.fromSeconds(5));
    var fast = route("fast", "v1");
    fast.getRouteBuilder().setTimeout(Durations.fromSeconds(1));
    var unbounded = route("unbounded", "v1");
    unbounded.getRouteBuilder().setTimeout(Durations.fromSeconds(0));
    var unset = route("unset", "v1");
    ServiceConfig config =
        assemble(listener(), routes(slow, fast, unbounded, unset), cluster("v1").build())
            .config()
            .orElseThrow();
    assertEquals(Optional.empty(), config.timeouts().deadline(), "no one service timeout");
    Map<String, Optional<Duration>> timeouts = new java.util.LinkedHashMap<>();
    config.routes().routes().forEach(r -> timeouts.put(r.name(), r.timeout()));
    assertEquals(Optional.of(Duration.ofSeconds(5)), timeouts.get("slow"));
    assertEquals(Optional.of(Duration.ofSeconds(1)), timeouts.get("fast"));
    assertEquals(Optional.empty(), timeouts.get("unbounded"), "0 is no timeout in Envoy");
    assertEquals(Optional.of(Duration.ofSeconds(15)), timeouts.get("unset"), "Envoy's default");

    ServiceConfig same =
        assemble(
                listener(),
                routes(slow, route("slow2", "v1").setRoute(slow.getRoute())),
                cluster("v1").build())
            .config()
            .orElseThrow();
    assertEquals(Optional.of(Duration.ofSeconds(5)), same.timeouts().deadline());
    same.routes().routes().forEach(r -> assertEquals(Optional.empty(), r.timeout(), r.name()));
  }

  @Test
  void whatCannotBeHonouredSafelyIsRefusedWithTheReason() {
    var redirect =
        io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
            .setName("old")
            .setMatch(RouteMatch.newBuilder().setPrefix("/old"))
            .setRedirect(RedirectAction.newBuilder().setPathRedirect("/new"));
    assertRefused(
        "route 'old': its action is REDIRECT",
        () -> RouteDecoder.decode(routes(redirect), "RouteConfiguration 'routes'"));

    Cluster roundRobin = cluster("v1").build();
    Cluster maglev = cluster("v2").setLbPolicy(Cluster.LbPolicy.MAGLEV).build();
    assertRefused(
        "clusters 'v1' and 'v2' differ",
        () -> assemble(listener(), routes(route("a", "v1"), route("b", "v2")), roundRobin, maglev));

    Cluster prefixSan =
        cluster("v1")
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("tls")
                    .setTypedConfig(
                        Any.pack(
                            UpstreamTlsContext.newBuilder()
                                .setCommonTlsContext(
                                    CommonTlsContext.newBuilder()
                                        .setTlsCertificateProviderInstance(
                                            CertificateProviderPluginInstance.newBuilder()
                                                .setInstanceName("default"))
                                        .setValidationContext(
                                            CertificateValidationContext.newBuilder()
                                                .addMatchSubjectAltNames(
                                                    StringMatcher.newBuilder()
                                                        .setPrefix("spiffe://cluster.local/"))))
                                .build())))
            .build();
    assertRefused("only exact SPIFFE IDs are supported", () -> ClusterDecoder.decode(prefixSan));
  }

  @Test
  void exactSpiffeIdsFromTheValidationContextAreThePeerIdentities() {
    Cluster mtls =
        cluster("v1")
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(
                        Any.pack(
                            UpstreamTlsContext.newBuilder()
                                .setCommonTlsContext(
                                    CommonTlsContext.newBuilder()
                                        .setTlsCertificateProviderInstance(
                                            CertificateProviderPluginInstance.newBuilder()
                                                .setInstanceName("default"))
                                        .setValidationContext(
                                            CertificateValidationContext.newBuilder()
                                                .setCaCertificateProviderInstance(
                                                    CertificateProviderPluginInstance.newBuilder()
                                                        .setInstanceName("default"))
                                                .addMatchSubjectAltNames(
                                                    StringMatcher.newBuilder()
                                                        .setExact(
                                                            "spiffe://cluster.local/ns/default/sa/mathoid"))))
                                .build())))
            .build();
    ServiceConfig config =
        assemble(listener(), routes(route("render", "v1")), mtls).config().orElseThrow();

    assertEquals(TlsMode.MUTUAL, config.tls().orElseThrow());
    assertEquals(List.of("spiffe://cluster.local/ns/default/sa/mathoid"), config.peerIdentities());
  }

  private static Cluster tls(CertificateValidationContext.Builder validation) {
    return cluster("v1")
        .setTransportSocket(
            TransportSocket.newBuilder()
                .setName("tls")
                .setTypedConfig(
                    Any.pack(
                        UpstreamTlsContext.newBuilder()
                            .setCommonTlsContext(
                                CommonTlsContext.newBuilder()
                                    .setTlsCertificateProviderInstance(
                                        CertificateProviderPluginInstance.newBuilder()
                                            .setInstanceName("default"))
                                    .setValidationContext(validation))
                            .build())))
        .build();
  }

  private static SubjectAltNameMatcher.Builder san(SubjectAltNameMatcher.SanType type, String id) {
    return SubjectAltNameMatcher.newBuilder()
        .setSanType(type)
        .setMatcher(StringMatcher.newBuilder().setExact(id));
  }

  @Test
  void anythingThatVerifiesPeersLessStrictlyIsRefused() {
    String mathoid = "spiffe://cluster.local/ns/default/sa/mathoid";
    assertEquals(
        List.of(mathoid),
        ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .addMatchTypedSubjectAltNames(
                            san(SubjectAltNameMatcher.SanType.URI, mathoid))))
            .tls()
            .orElseThrow()
            .identities());
    assertRefused(
        "DNS is not supported",
        () ->
            ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .addMatchTypedSubjectAltNames(
                            san(SubjectAltNameMatcher.SanType.DNS, "mathoid")))));
    assertRefused(
        "'mathoid.default.svc' is not a SPIFFE ID",
        () ->
            ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .addMatchTypedSubjectAltNames(
                            san(SubjectAltNameMatcher.SanType.URI, "mathoid.default.svc")))));
    assertRefused(
        "only exact SPIFFE IDs are supported, not ignore_case EXACT",
        () ->
            ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .addMatchTypedSubjectAltNames(
                            SubjectAltNameMatcher.newBuilder()
                                .setSanType(SubjectAltNameMatcher.SanType.URI)
                                .setMatcher(
                                    StringMatcher.newBuilder()
                                        .setExact(mathoid)
                                        .setIgnoreCase(true))))));
    assertRefused(
        "validation_context.allow_expired_certificate",
        () ->
            ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .setAllowExpiredCertificate(true)
                        .addMatchTypedSubjectAltNames(
                            san(SubjectAltNameMatcher.SanType.URI, mathoid)))));
    assertRefused(
        "validation_context.trust_chain_verification",
        () ->
            ClusterDecoder.decode(
                tls(
                    CertificateValidationContext.newBuilder()
                        .setTrustChainVerification(
                            CertificateValidationContext.TrustChainVerification
                                .ACCEPT_UNTRUSTED))));
  }

  private static void assertRefused(String expected, Runnable mapping) {
    XdsRejection e = assertThrows(XdsRejection.class, mapping::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
