/**
 * How implementers reach the mesh, and helpers they share (SPI; applications do not need it). A
 * transport attaches with {@link dev.meshwork.core.spi.MeshTransports#attach} and receives a {@link
 * MeshTransports.TransportContext}: {@link dev.meshwork.core.Mesh}'s own methods are for
 * applications only. A configuration source (a watched file, a ConfigMap, xDS) swaps a running
 * mesh's services with {@link dev.meshwork.core.spi.MeshConfigurer}.
 *
 * <p>The interfaces implementers write against live with their feature: {@link
 * dev.meshwork.core.transport} (transports), {@link dev.meshwork.core.discovery} (discovery
 * sources), {@link dev.meshwork.core.balancer} (load balancers) and {@link
 * dev.meshwork.core.security} (peer security); each package says which of its types are SPI.
 */
package dev.meshwork.core.spi;
