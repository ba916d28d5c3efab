/**
 * Where a service's endpoints come from: {@link dev.meshwork.core.discovery.StaticDiscovery} for a
 * fixed list; mesh-discovery and mesh-discovery-kubernetes add DNS, file and Kubernetes sources. A
 * source of one's own implements {@link dev.meshwork.core.spi.DiscoverySource}; how a service's
 * discovery is doing is {@link dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth}, read with
 * {@code Mesh.discoveryHealth(service)}.
 */
package dev.meshwork.core.discovery;
