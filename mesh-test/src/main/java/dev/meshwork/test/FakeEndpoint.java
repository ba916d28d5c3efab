package dev.meshwork.test;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.test.internal.FakeHttpServer;
import dev.meshwork.test.internal.ScriptRunner;
import dev.meshwork.test.internal.ScriptTransformer;
import dev.meshwork.test.internal.ServerPool;
import dev.meshwork.test.internal.SwitchableSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One instance of a {@link FakeService}: a real WireMock server on loopback that answers as its
 * {@link FaultScript} says, healthy (200, its name as the body) until scripted. Every answer names
 * the instance in the {@code x-fake-endpoint} header.
 *
 * <pre>{@code
 * FakeService mathoid = TestMesh.create(1).fake(FakeService.named("mathoid").endpoints(3));
 * FakeEndpoint second = mathoid.endpoint(2);
 * second.script(s -> s.first(5).respond(503).then().healthy());
 * assertTrue(second.status().ejected());
 * }</pre>
 */
public final class FakeEndpoint {
  private final FakeService service;
  private final String name;
  private final String attributes;
  private final SwitchableSource tls;
  private final SSLContext context;
  private final ScriptRunner runner;
  private final ServerPool.Lease lease;
  private final FakeHttpServer http;
  private final Endpoint endpoint;

  FakeEndpoint(
      FakeService service,
      String name,
      String attributes,
      VirtualClock clock,
      SwitchableSource tls) {
    this.service = service;
    this.name = name;
    this.attributes = attributes;
    this.tls = tls;
    this.context =
        tls == null
            ? null
            : MeshSslContexts.server(tls, LiveVerifier.acceptingAnyMember(tls.own(), clock));
    this.lease = ServerPool.lend(context);
    this.http = lease.http();
    this.runner =
        new ScriptRunner(
            clock::nanoTime,
            clock.scheduler(),
            new ScriptRunner.Connections() {
              @Override
              public void listening(boolean on) {
                http.listening(on);
              }

              @Override
              public void impostor(boolean on) {
                tls.impostor(on);
                // Whoever is connected saw the other identity: make the next calls handshake.
                MeshSslContexts.invalidateSessions(context);
                http.dropConnections();
              }
            });
    lease.answerWith(
        new ScriptTransformer(name, runner, nanos -> clock.pass(Duration.ofNanos(nanos))));
    this.endpoint =
        Endpoint.parse(
            "127.0.0.1:" + http.boundPort() + (attributes.isEmpty() ? "" : " " + attributes));
  }

  /** The instance's name, {@code <service>-<n>}, as traces and answers name it. */
  public String name() {
    return name;
  }

  /** The instance as discovery publishes it: loopback address, labels, zone and weight. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return endpoint.address();
  }

  /** The labels, zone and weight it was made with, in {@link Endpoint#parse} form. */
  String attributes() {
    return attributes;
  }

  /**
   * Plays the script {@code script} writes, from now, replacing the one playing (calls it holds are
   * let go).
   *
   * @throws IllegalArgumentException naming the step, when the script makes no sense
   */
  public FakeEndpoint script(Consumer<FaultScript> script) {
    Objects.requireNonNull(script, "script");
    FaultScript written = new FaultScript();
    String where = "fake service '" + service.name() + "' endpoint " + name;
    try {
      script.accept(written);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " " + e.getMessage(), e);
    }
    runner.play(written.build(where, tls != null));
    return this;
  }

  /** Healthy from now on: plays {@code s -> s.healthy()}. */
  public FakeEndpoint heal() {
    return script(FaultScript::healthy);
  }

  /** Calls it received, whatever it answered; health-check probes not included. */
  public int calls() {
    return runner.calls();
  }

  /** Health-check probes it received. */
  public int probes() {
    return runner.probes();
  }

  /**
   * What the mesh knows of this instance now: ejection, health, counts.
   *
   * @throws IllegalStateException before the mesh is started, or when the mesh does not use it
   */
  public EndpointStatus status() {
    return service.statusOf(this);
  }

  void close() {
    runner.stop();
    ServerPool.giveBack(lease);
    if (tls != null) {
      tls.close();
    }
  }

  @Override
  public String toString() {
    return name + " (" + address() + (tls == null ? "" : ", TLS") + "): " + runner.current();
  }
}
