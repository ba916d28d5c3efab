/**
 * Where a service's endpoints come from. Applications choose a {@link
 * dev.meshwork.core.discovery.DiscoverySource} (such as {@link
 * dev.meshwork.core.discovery.StaticDiscovery}) and read {@link
 * dev.meshwork.core.discovery.DiscoveryHealth}. SPI for source implementers: {@code
 * DiscoverySource}, {@link dev.meshwork.core.discovery.Watch}, {@link
 * dev.meshwork.core.discovery.DiscoveryListener} and {@link
 * dev.meshwork.core.discovery.DiscoveryContext}.
 */
package dev.meshwork.core.discovery;
