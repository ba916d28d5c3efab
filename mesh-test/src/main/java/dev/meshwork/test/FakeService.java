package dev.meshwork.test;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.test.internal.FakeDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake of a service the code under test calls: N instances, each a real WireMock server on
 * loopback ({@link FakeEndpoint}), published to the mesh by {@link #discovery()} under the
 * service's logical name. Made by {@link TestMesh#fake}, closed with it.
 *
 * <pre>{@code
 * TestMesh mesh = TestMesh.create(1);
 * FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2).endpoint("version=v2"));
 * mathoid.endpoint(3).script(s -> s.always().respond(503));
 * mesh.start(b -> b.service("mathoid", s -> s.discovery(mathoid.discovery())));
 * }</pre>
 *
 * <p>Instances are numbered from 1 ({@code mathoid-1}, ...) in the order they were made; an
 * instance made by {@link #replace} takes the next number and the old one's place.
 */
public final class FakeService {
  private final String name;
  private final TestMesh mesh;
  private final boolean tls;
  private final List<FakeEndpoint> current = new CopyOnWriteArrayList<>();
  private final List<FakeEndpoint> made = new CopyOnWriteArrayList<>();
  private final FakeDiscovery discovery;

  FakeService(Builder spec, TestMesh mesh) {
    this.name = spec.name;
    this.mesh = mesh;
    this.tls = spec.tls;
    this.discovery =
        new FakeDiscovery(name, () -> current.stream().map(FakeEndpoint::endpoint).toList());
    try {
      for (String attributes : spec.endpoints) {
        current.add(newEndpoint(attributes));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts describing a fake of the service {@code name} (a mesh service name). */
  public static Builder named(String name) {
    if (name == null || !ServiceName.isValid(name)) {
      throw new IllegalArgumentException(
          "fake service name '" + name + "': a mesh service name, lowercase DNS labels");
    }
    return new Builder(name);
  }

  private FakeEndpoint newEndpoint(String attributes) {
    FakeEndpoint endpoint =
        new FakeEndpoint(
            this,
            name + "-" + (made.size() + 1),
            attributes,
            mesh.time(),
            tls ? mesh.tlsFor(name) : null);
    made.add(endpoint);
    return endpoint;
  }

  /** The service's name, the host calls address it by. */
  public String name() {
    return name;
  }

  /**
   * The instance at place {@code number}, from 1.
   *
   * @throws IllegalArgumentException when the service has no such place
   */
  public FakeEndpoint endpoint(int number) {
    List<FakeEndpoint> now = current;
    if (number < 1 || number > now.size()) {
      throw new IllegalArgumentException(
          "fake service '"
              + name
              + "' has no endpoint "
              + number
              + ": it has "
              + now.size()
              + " (1 to "
              + now.size()
              + ")");
    }
    return now.get(number - 1);
  }

  /** The instances discovery publishes now, in order. */
  public List<FakeEndpoint> endpoints() {
    return List.copyOf(current);
  }

  /** Whether the instances serve mutual TLS. */
  public boolean tls() {
    return tls;
  }

  /**
   * The discovery source of this service: it publishes the instances, and publishes again after
   * {@link #replace}. Give it to the service's configuration in place of its real source.
   */
  public DiscoverySource discovery() {
    return discovery;
  }

  /** Calls all its instances received, replaced ones included; probes not included. */
  public int calls() {
    return made.stream().mapToInt(FakeEndpoint::calls).sum();
  }

  /**
   * Replaces the instance at place {@code number} with a new one (new port, same labels), as a
   * deploy does: discovery publishes the new set, and once the mesh uses it the old instance stops.
   * To play an instance that stops before discovery catches up, script it to {@link
   * FaultScript#refuse()} first.
   *
   * @return the new instance
   */
  public FakeEndpoint replace(int number) {
    FakeEndpoint old = endpoint(number);
    FakeEndpoint fresh = newEndpoint(old.attributes());
    current.set(number - 1, fresh);
    discovery.publish();
    mesh.awaitEndpoints(this);
    old.close();
    return fresh;
  }

  /** The name of the instance at {@code address}, replaced ones included; empty when none. */
  String nameOf(String address) {
    for (FakeEndpoint endpoint : made) {
      if (endpoint.address().equals(address)) {
        return endpoint.name();
      }
    }
    return null;
  }

  List<FakeEndpoint> everyEndpoint() {
    return List.copyOf(made);
  }

  EndpointStatus statusOf(FakeEndpoint endpoint) {
    return mesh.statusOf(name, endpoint);
  }

  void close() {
    RuntimeException first = null;
    for (FakeEndpoint endpoint : made) {
      try {
        endpoint.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "fake service '" + name + "' " + current;
  }

  /** What a fake service is made of; {@link TestMesh#fake} starts it. */
  public static final class Builder {
    private final String name;
    private final List<String> endpoints = new ArrayList<>();
    private boolean tls;

    private Builder(String name) {
      this.name = name;
    }

    /** Adds {@code count} instances without labels. */
    public Builder endpoints(int count) {
      if (count < 1) {
        throw new IllegalArgumentException(
            "fake service '" + name + "' endpoints(" + count + "): at least one");
      }
      for (int i = 0; i < count; i++) {
        endpoints.add("");
      }
      return this;
    }

    /**
     * Adds one instance with {@code attributes} in {@link Endpoint#parse} form, such as {@code
     * "version=v2 zone=eqiad-b weight=2"}: labels for subsets, a zone for zone awareness.
     */
    public Builder endpoint(String attributes) {
      Objects.requireNonNull(attributes, "attributes");
      try {
        Endpoint.parse("127.0.0.1:1 " + attributes);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "fake service '" + name + "' endpoint(\"" + attributes + "\"): " + e.getMessage(), e);
      }
      endpoints.add(attributes.strip());
      return this;
    }

    /**
     * Serves mutual TLS: each instance presents {@code spiffe://cluster.local/ns/default/sa/<name>}
     * from the test's CA ({@link TestMesh#ca()}), renewed on virtual time, and accepts callers with
     * a certificate from that CA.
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    String name() {
      return name;
    }

    boolean hasEndpoints() {
      return !endpoints.isEmpty();
    }
  }
}
