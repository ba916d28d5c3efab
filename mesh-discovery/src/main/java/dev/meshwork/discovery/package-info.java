/**
 * Discovery sources beyond the static lists of {@code mesh-core}, each a {@link
 * dev.meshwork.core.spi.DiscoverySource}: {@link dev.meshwork.discovery.DnsDiscovery} (A/AAAA and
 * SRV), {@link dev.meshwork.discovery.FileDiscovery} (a watched JSON or YAML file), and {@link
 * dev.meshwork.discovery.DiscoverySources#merged} to combine them. Kubernetes EndpointSlices live
 * in the separate {@code mesh-discovery-kubernetes} artifact so that other users never load its
 * client.
 *
 * <p>Every source publishes only authoritative answers; a failure, a timeout or an answer that can
 * only come from a broken source is reported as an error and the last good endpoints stay in use.
 */
package dev.meshwork.discovery;
