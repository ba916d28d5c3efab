package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a service's telemetry reads of the service: its name and clock, its TLS, and the live state
 * its gauges show when scraped.
 *
 * @param tls the service's client TLS, or {@code null} when it is plaintext
 * @param breaker the service's circuit breaker, or {@code null} when it is disabled
 * @param endpoints the service's current endpoints
 * @param discovery how the service's discovery is doing
 */
public record ObservedService(
    ServiceName name,
    MeshClock clock,
    ClientTls tls,
    ServiceBreaker breaker,
    Supplier<List<EndpointState>> endpoints,
    Supplier<DiscoveryHealth> discovery) {}
