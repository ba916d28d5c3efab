package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.policy.SlowStart;

/**
 * A service's slow-start policy with the clock it is measured on; one per service, shared by its
 * endpoint states.
 */
public record Ramp(SlowStart policy, MeshClock clock) {}
