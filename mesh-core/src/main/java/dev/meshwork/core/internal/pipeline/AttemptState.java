package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.PickContext;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.transport.AttemptContext;
import dev.meshwork.core.transport.MeshRequest;

/** One physical attempt of a call: which number it is and, once picked, its endpoint. */
public final class AttemptState implements AttemptContext, PickContext {
  private final CallContext call;
  private final int attempt;
  private EndpointState endpoint;

  AttemptState(CallContext call, int attempt) {
    this.call = call;
    this.attempt = attempt;
  }

  public CallContext call() {
    return call;
  }

  @Override
  public ServiceName service() {
    return call.service().service();
  }

  @Override
  public MeshRequest request() {
    return call.request();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  /** The endpoint picked for this attempt, or {@code null} before the pick stage ran. */
  public EndpointState endpoint() {
    return endpoint;
  }

  void endpoint(EndpointState picked) {
    this.endpoint = picked;
    call.markTried(picked);
  }
}
