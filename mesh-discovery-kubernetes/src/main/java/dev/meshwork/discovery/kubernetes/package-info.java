/**
 * Discovery from Kubernetes EndpointSlices: {@link
 * dev.meshwork.discovery.kubernetes.KubernetesDiscovery}. A separate artifact so applications that
 * do not run on Kubernetes never load its client.
 */
package dev.meshwork.discovery.kubernetes;
