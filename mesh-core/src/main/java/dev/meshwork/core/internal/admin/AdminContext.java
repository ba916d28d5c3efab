package dev.meshwork.core.internal.admin;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.admin.AdminOptions;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.UnknownHosts;
import dev.meshwork.core.security.PeerSecurity;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the admin pages read: the mesh's services (sorted by name), its security, clock and
 * recent decisions, and where the endpoint listens.
 *
 * @param address the address bound, with the port chosen when the options asked for port 0
 * @param security the mesh's peer security, or {@code null} when every service is plaintext
 * @param unknownHosts what calls to hosts that are not services do
 */
record AdminContext(AdminOptions options, InetSocketAddress address, List<ServiceRuntime> services,
    PeerSecurity security, UnknownHosts unknownHosts, MeshClock clock, DecisionLog decisions,
    MeterRegistry registry) {
}
