package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.Endpoint;

/**
 * An endpoint's identity as a map key: equal exactly when the {@link Endpoint#address()}es are
 * equal, but built without formatting the address, and hashing with the host's cached string hash.
 * Updates of thousands of endpoints look every one of them up.
 */
public record InstanceKey(String host, int port) {
  public static InstanceKey of(Endpoint endpoint) {
    return new InstanceKey(endpoint.host(), endpoint.port());
  }
}
