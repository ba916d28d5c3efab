package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The document's mesh-wide settings, defaults filled in.
 *
 * @param localZone the caller's zone; empty for none
 * @param unknownHosts the policy chosen; empty for the mesh's default
 * @param meshDomains the mesh domains
 * @param decisions decisions kept
 * @param awaitDiscovery how long build() waits for discovery
 * @param randomSeed the seed of the mesh's draws; empty for unseeded
 * @param tracing whether calls are traced (through GlobalOpenTelemetry)
 * @param metrics whether calls are metered (in Micrometer's global registry)
 * @param endpointTagLimit endpoints per service tagged by name
 * @param identity the identity section in its effective form; empty without peer security
 * @param admin the admin endpoint's settings; empty when the document has none
 */
public record MeshSettings(
    Optional<String> localZone,
    Optional<UnknownHostPolicy> unknownHosts,
    List<String> meshDomains,
    int decisions,
    Duration awaitDiscovery,
    Optional<Long> randomSeed,
    boolean tracing,
    boolean metrics,
    int endpointTagLimit,
    Optional<ObjectNode> identity,
    Optional<Admin> admin) {

  public MeshSettings {
    meshDomains = List.copyOf(meshDomains);
    identity = identity.map(ObjectNode::deepCopy);
  }

  /**
   * The {@code mesh.admin} section.
   *
   * @param port the port
   * @param bindAddress the address bound
   * @param allowNonLoopback whether an address beyond loopback is allowed
   * @param allowedHosts extra Host names answered
   */
  public record Admin(
      int port, String bindAddress, boolean allowNonLoopback, List<String> allowedHosts) {
    public Admin {
      allowedHosts = List.copyOf(allowedHosts);
    }
  }
}
