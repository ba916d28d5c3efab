/**
 * How an attempt's endpoint is picked: applications choose a policy from {@link
 * dev.meshwork.core.balancer.LoadBalancers}, keying the consistent-hashing ones with a {@link
 * dev.meshwork.core.balancer.HashPolicy}. Slow start and zone awareness are policies ({@link
 * dev.meshwork.core.policy}); a balancer of one's own implements {@link
 * dev.meshwork.core.spi.LoadBalancer}.
 */
package dev.meshwork.core.balancer;
