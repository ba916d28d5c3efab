package dev.meshwork.core.balancer;

import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;

/** What a balancer may know of the call it picks for. */
public interface PickContext {

  /** The logical request being sent. */
  MeshRequest request();

  /** 0 for the first attempt of the call, 1 for the first retry, and so on. */
  int attempt();
}
