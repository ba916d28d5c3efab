package dev.meshwork.core;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.PeerSecurity.CertificateInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read-only view of a mesh taken at one moment by {@link Mesh#snapshot()}: the mesh-wide settings
 * and, per service, its effective configuration, endpoints, breaker, discovery health, routes,
 * certificate and the recent decisions. Immutable; later changes to the mesh never show in a
 * snapshot already taken. For dashboards, the admin endpoint (mesh-admin) and tests.
 *
 * <p>Text is as the mesh holds it, not redacted: discovery sources, errors and labels may carry
 * credentials, so redact before showing it to anyone.
 *
 * @param time when the snapshot was taken, by the mesh clock
 * @param localIdentity the identity this workload presents; empty without security
 * @param security a description of the mesh's peer security; empty without one
 * @param localZone the caller's zone, or empty when zone awareness is off
 * @param unknownHosts what calls to hosts that are not services do
 * @param unknownHostsChosen whether the builder chose that policy (else the mesh's default)
 * @param meshDomains the domains under which unknown hosts count as mesh-like
 * @param telemetry whether the mesh traces or meters its calls
 * @param decisionCapacity how many decisions the mesh keeps ({@link MeshBuilder#decisions(int)})
 * @param decisionsRecorded decisions recorded since the mesh started, overwritten ones included
 * @param decisions the kept decisions, newest first
 * @param services the configured services, sorted by name
 * @param configStatus which configuration the mesh runs on, and the last error changing it
 */
public record MeshSnapshot(
    Instant time,
    Optional<String> localIdentity,
    Optional<String> security,
    String localZone,
    UnknownHostPolicy unknownHosts,
    boolean unknownHostsChosen,
    List<String> meshDomains,
    boolean telemetry,
    int decisionCapacity,
    long decisionsRecorded,
    List<Decision> decisions,
    List<Service> services,
    ConfigStatus configStatus) {

  public MeshSnapshot {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(localIdentity, "localIdentity");
    Objects.requireNonNull(security, "security");
    meshDomains = List.copyOf(meshDomains);
    decisions = List.copyOf(decisions);
    services = List.copyOf(services);
    Objects.requireNonNull(configStatus, "configStatus");
  }

  /**
   * The service named {@code name}.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public Service service(String name) {
    for (Service service : services) {
      if (service.name().value().equals(name)) {
        return service;
      }
    }
    throw new IllegalArgumentException("service '" + name + "' is not configured in this mesh");
  }

  /**
   * Whether every service's discovery has answered once and that answer is in use (as for {@link
   * Mesh#awaitDiscovery}).
   */
  public boolean ready() {
    return services.stream().allMatch(Service::discovered);
  }

  /**
   * One service as it was when the snapshot was taken.
   *
   * @param name the service
   * @param config its effective configuration, defaults included
   * @param tls whether calls use mutual TLS (a service that did not choose takes the mesh's
   *     default)
   * @param expectedPeers the peer identities accepted, sorted; with TLS those in force
   * @param zoneAwarenessActive whether zone awareness is in force (a local zone and a balancer that
   *     allows it)
   * @param breaker the circuit breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN},
   *     ...) or {@code DISABLED}
   * @param panic whether too few endpoints are usable and calls use all of them
   * @param discovered whether discovery has answered once and that answer is in use
   * @param endpointSetVersion how many times the endpoint set changed
   * @param endpointSetUpdatedAt when the endpoint set last changed; empty before the first change
   * @param discovery how the discovery source is doing
   * @param endpoints each endpoint's state, in discovery's order
   * @param routes the route table calls start with
   * @param subsets each subset of {@code routes} with the endpoints in it
   * @param certificate the certificate the service presents; empty without TLS or when the source
   *     cannot describe it
   */
  public record Service(
      ServiceName name,
      ServiceConfig config,
      boolean tls,
      Set<String> expectedPeers,
      boolean zoneAwarenessActive,
      String breaker,
      boolean panic,
      boolean discovered,
      long endpointSetVersion,
      Optional<Instant> endpointSetUpdatedAt,
      DiscoveryHealth discovery,
      List<EndpointStatus> endpoints,
      RouteTable routes,
      List<SubsetMembers> subsets,
      Optional<CertificateInfo> certificate) {

    public Service {
      Objects.requireNonNull(endpointSetUpdatedAt, "endpointSetUpdatedAt");
      Objects.requireNonNull(certificate, "certificate");
      expectedPeers = Collections.unmodifiableSet(new TreeSet<>(expectedPeers));
      endpoints = List.copyOf(endpoints);
      subsets = List.copyOf(subsets);
    }
  }

  /**
   * A subset of a service's route table as calls see it.
   *
   * @param name the subset's name
   * @param members the endpoints whose labels match the subset
   * @param candidates how many of them calls may use now (neither ejected nor unhealthy, or all in
   *     panic)
   * @param panic whether too few members are usable and calls use all of them
   */
  public record SubsetMembers(String name, List<Endpoint> members, int candidates, boolean panic) {
    public SubsetMembers {
      members = List.copyOf(members);
    }
  }

  /**
   * One recent decision of the mesh: a route taken, a retry, a rejection, an ejection, a pick.
   *
   * @param sequence the decision's number in the mesh, from 0
   * @param time when it was made, by the mesh clock
   * @param service the service of the call or endpoint
   * @param kind what was decided ({@code PICK}, {@code RETRY}, {@code REJECTED}, {@code EJECTION},
   *     ...)
   * @param detail what and why, in a few words; a long one is cut to 400 characters, redacted
   * @param endpoint the endpoint concerned; empty for a decision about the call as a whole
   */
  public record Decision(
      long sequence,
      Instant time,
      String service,
      String kind,
      String detail,
      Optional<Endpoint> endpoint) {
    public Decision {
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /**
   * What the mesh knows of one endpoint right now, for dashboards, the admin view and logs.
   *
   * @param endpoint the endpoint as discovery describes it
   * @param ejected whether outlier detection has taken it out of balancing
   * @param ejections the ejection multiplier (times ejected, less one per healthy interval since)
   * @param healthy whether it passes its active health checks (always {@code true} without them)
   * @param activeRequests attempts in flight on it
   * @param successes attempts that got an answer below 500, since it appeared
   * @param failures attempts that failed or got a 5xx answer, since it appeared
   * @param ejectionRemaining how long it stays ejected; zero when it is not
   * @param latency its recent latency (a moving average, decayed while it gets no calls)
   */
  public record EndpointStatus(
      Endpoint endpoint,
      boolean ejected,
      int ejections,
      boolean healthy,
      int activeRequests,
      long successes,
      long failures,
      Duration ejectionRemaining,
      Duration latency) {

    /** Whether calls may use it: neither ejected nor failing its health checks. */
    public boolean usable() {
      return !ejected && healthy;
    }
  }
}
