package dev.meshwork.core.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A factory's name is the policy as the effective configuration shows it: a seed or a table size
 * that is not the default must show, or a dump of the configuration hides how the mesh balances.
 */
class LoadBalancerNamesTest {

  @Test
  void defaultsShowTheBarePolicy() {
    assertEquals("round_robin", LoadBalancers.roundRobin().name());
    assertEquals("weighted_round_robin", LoadBalancers.weightedRoundRobin().name());
    assertEquals("random", LoadBalancers.random().name());
    assertEquals("least_request", LoadBalancers.leastRequest().name());
    assertEquals("peak_ewma", LoadBalancers.peakEwma().name());
    assertEquals(
        "ring_hash(header x-user)", LoadBalancers.ringHash(HashPolicy.header("x-user")).name());
    assertEquals(
        "maglev(cookie session)", LoadBalancers.maglev(HashPolicy.cookie("session")).name());
  }

  @Test
  void seedsAndSizesShow() {
    assertEquals("random(seed=42)", LoadBalancers.random(42).name());
    assertEquals("least_request(seed=-7)", LoadBalancers.leastRequest(-7).name());
    assertEquals("peak_ewma(seed=3)", LoadBalancers.peakEwma(3).name());
    assertEquals(
        "ring_hash(header x-user, minRingSize=4096)",
        LoadBalancers.ringHash(HashPolicy.header("x-user"), 4096).name());
    assertEquals(
        "maglev(cookie session, tableSize=127)",
        LoadBalancers.maglev(HashPolicy.cookie("session"), 127).name());
  }
}
