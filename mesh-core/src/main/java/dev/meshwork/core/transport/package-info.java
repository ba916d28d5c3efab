/**
 * The transport SPI: what a transport implements ({@link dev.meshwork.core.transport.Exchange},
 * {@link dev.meshwork.core.transport.MeshRequest}, {@link
 * dev.meshwork.core.transport.HealthProber}) and what it calls ({@link
 * dev.meshwork.core.transport.ServiceInvoker}, from the {@link
 * dev.meshwork.core.spi.TransportContext} it attached with). {@link
 * dev.meshwork.core.transport.CallOptions} is also for applications: per-call options a transport
 * carries to the pipeline.
 */
package dev.meshwork.core.transport;
