/**
 * How an attempt's endpoint is picked. Applications choose from {@link
 * dev.meshwork.core.balancer.LoadBalancers} and configure {@link
 * dev.meshwork.core.balancer.HashPolicy}, {@link dev.meshwork.core.policy.SlowStart} and {@link
 * dev.meshwork.core.policy.ZoneAwareness}. SPI for balancer implementers: {@link
 * dev.meshwork.core.balancer.LoadBalancer}, {@link dev.meshwork.core.balancer.LoadBalancerFactory},
 * {@link dev.meshwork.core.balancer.EndpointView} and {@link
 * dev.meshwork.core.balancer.PickContext}.
 */
package dev.meshwork.core.balancer;
