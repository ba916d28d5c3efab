package dev.meshwork.test.internal;

import com.github.tomakehurst.wiremock.common.HttpsSettings;
import com.github.tomakehurst.wiremock.common.JettySettings;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.AdminRequestHandler;
import com.github.tomakehurst.wiremock.http.HttpServerFactory;
import com.github.tomakehurst.wiremock.http.StubRequestHandler;
import com.github.tomakehurst.wiremock.jetty11.Jetty11HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.NetworkTrafficListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * WireMock's Jetty server with what a fake endpoint needs beyond it: mutual TLS from an {@link
 * SSLContext} of mesh-tls (WireMock itself only reads key stores, and verifies client certificates
 * on real time), and a switch that stops and restarts listening on the same port.
 */
public final class FakeHttpServer extends Jetty11HttpServer {
  /** The TLS context of the server under construction (the super constructor makes connectors). */
  private static final ThreadLocal<SSLContext> TLS = new ThreadLocal<>();

  private int port;

  private FakeHttpServer(Options options, AdminRequestHandler admin, StubRequestHandler stubs) {
    super(options, admin, stubs);
  }

  /**
   * A factory of servers serving mutual TLS with {@code tls} (plain HTTP when null); {@code made}
   * receives the server it makes.
   */
  public static HttpServerFactory factory(SSLContext tls, AtomicReference<FakeHttpServer> made) {
    return (options, admin, stubs) -> {
      TLS.set(tls);
      try {
        FakeHttpServer server = new FakeHttpServer(options, admin, stubs);
        made.set(server);
        return server;
      } finally {
        TLS.remove();
      }
    };
  }

  /** Jetty's scheduler as a daemon thread, so a kept server never holds the JVM open. */
  @Override
  protected Server createServer(Options options) {
    Server server = super.createServer(options);
    server.addBean(new ScheduledExecutorScheduler("mesh-test-fake-scheduler", true));
    return server;
  }

  @Override
  protected ServerConnector createHttpsConnector(
      String bindAddress,
      HttpsSettings https,
      JettySettings jetty,
      NetworkTrafficListener listener) {
    SSLContext context = TLS.get();
    if (context == null) {
      return super.createHttpsConnector(bindAddress, https, jetty, listener);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(context);
    ssl.setNeedClientAuth(true);
    HttpConfiguration config = new HttpConfiguration();
    // The certificate names a SPIFFE identity, not a host: no SNI host check.
    config.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            jettyServer,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(config));
    connector.setHost(bindAddress);
    connector.setPort(https.port());
    return connector;
  }

  private ServerConnector connector() {
    return httpConnector != null ? httpConnector : httpsConnector;
  }

  /** The port the server listens on (or listened on, while it refuses). */
  public synchronized int boundPort() {
    if (port == 0) {
      port = connector().getLocalPort();
    }
    return port;
  }

  /**
   * Starts or stops listening on the server's port; stopping also closes the open connections, as a
   * stopped instance would.
   */
  public synchronized void listening(boolean on) {
    ServerConnector connector = connector();
    int bound = boundPort();
    try {
      if (on) {
        connector.setPort(bound);
        connector.start();
      } else {
        List<EndPoint> open = new ArrayList<>(connector.getConnectedEndPoints());
        connector.stop();
        open.forEach(EndPoint::close);
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          (on ? "cannot listen again on port " : "cannot stop listening on port ") + bound, e);
    }
  }

  /** Closes the open connections, so the next calls connect (and handshake) again. */
  public void dropConnections() {
    new ArrayList<>(connector().getConnectedEndPoints()).forEach(EndPoint::close);
  }
}
