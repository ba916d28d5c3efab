package dev.meshwork.core.internal;

import dev.meshwork.core.EndpointSnapshot;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.MeshClosedException;
import dev.meshwork.core.MeshConfigException;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.LoadBalancer;
import dev.meshwork.core.discovery.DiscoveryListener;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.transport.Exchange;
import dev.meshwork.core.transport.MeshRequest;
import dev.meshwork.core.security.ClientTls;
import dev.meshwork.core.transport.ServiceInvoker;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of one configured service: its current endpoint set, its balancer and its
 * pipeline. Discovery writes the endpoint set (serialised by the monitor); calls only read the
 * volatile field.
 */
public final class ServiceRuntime implements ServiceInvoker, DiscoveryListener {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  private final ServiceConfig config;
  private final MeshClock clock;
  private final LoadBalancer balancer;
  private final Pipeline pipeline;
  private final BooleanSupplier meshClosed;
  private final ClientTls clientTls;
  private volatile EndpointSet endpointSet = EndpointSet.initial();
  private volatile String lastDiscoveryError;

  public ServiceRuntime(ServiceConfig config, ClientTls clientTls, MeshClock clock, Pipeline pipeline,
      BooleanSupplier meshClosed) {
    this.config = config;
    this.clientTls = clientTls;
    this.clock = clock;
    this.pipeline = pipeline;
    this.meshClosed = meshClosed;
    this.balancer = config.loadBalancer().create(config.name(), clock);
  }

  @Override
  public ServiceName service() {
    return config.name();
  }

  public ServiceConfig config() {
    return config;
  }

  @Override
  public ClientTls clientTls() {
    return clientTls;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  public MeshClock clock() {
    return clock;
  }

  /** The endpoint set calls currently use. */
  public EndpointSet endpointSet() {
    return endpointSet;
  }

  @Override
  public <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException {
    if (meshClosed.getAsBoolean()) {
      throw new MeshClosedException(config.name());
    }
    return pipeline.execute(new CallContext(this, request, clock.nanoTime()), exchange);
  }

  @Override
  public void onSnapshot(EndpointSnapshot snapshot) {
    if (!snapshot.service().equals(config.name())) {
      onError(new MeshConfigException("snapshot service", snapshot.service(),
          "'" + config.name() + "', the service this source was asked to watch"));
      return;
    }
    synchronized (this) {
      EndpointSet next = endpointSet.next(snapshot, clock.now(), clock.nanoTime());
      // Tables (ring hash, Maglev, weighted schedules) are built here, on the discovery thread,
      // before calls can see the new set.
      balancer.update(next.states());
      endpointSet = next;
      lastDiscoveryError = null;
    }
    log.debug("service '{}': {} endpoints from {}", config.name(), snapshot.size(), config.discovery().describe());
  }

  @Override
  public void onError(Throwable error) {
    lastDiscoveryError = String.valueOf(error.getMessage());
    log.warn("service '{}': discovery {} failed, keeping the last {} endpoints: {}",
        config.name(), config.discovery().describe(), endpointSet.states().size(), error.toString());
  }

  /** Why there is no endpoint to call, in words for an exception message. */
  public String whyNoEndpoints() {
    EndpointSet current = endpointSet;
    String source = config.discovery().describe();
    String error = lastDiscoveryError;
    String suffix = error == null ? "" : "; last discovery error: " + error;
    if (current.snapshot() == null) {
      return "no endpoints: discovery " + source + " has not answered yet" + suffix;
    }
    if (current.snapshot().isEmpty()) {
      return "no endpoints: discovery " + source + " lists none (since " + current.updatedAt() + ")" + suffix;
    }
    return "no healthy endpoints among " + current.snapshot().size() + suffix;
  }
}
