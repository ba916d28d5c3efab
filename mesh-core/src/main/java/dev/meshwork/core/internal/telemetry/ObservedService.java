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
 * its gauges show when scraped. TLS and breaker are read through suppliers because a config swap
 * may replace them; {@link ServiceTelemetry#rebind()} then moves their gauges.
 *
 * @param tls the service's current client TLS, or {@code null} when it is plaintext
 * @param breaker the service's current circuit breaker, or {@code null} when it is disabled
 * @param endpoints the service's current endpoints
 * @param discovery how the service's discovery is doing
 */
public record ObservedService(
    ServiceName name,
    MeshClock clock,
    Supplier<ClientTls> tls,
    Supplier<ServiceBreaker> breaker,
    Supplier<List<EndpointState>> endpoints,
    Supplier<DiscoveryHealth> discovery) {}
