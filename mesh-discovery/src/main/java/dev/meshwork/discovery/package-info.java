/**
 * Discovery sources beyond the static lists of {@code mesh-core}: DNS, watched files and
 * Kubernetes EndpointSlices, each implementing {@link dev.meshwork.core.discovery.DiscoverySource}.
 * The sources arrive with the service-discovery issue; this module holds none yet.
 */
package dev.meshwork.discovery;
