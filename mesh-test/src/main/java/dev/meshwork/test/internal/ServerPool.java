package dev.meshwork.test.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * WireMock servers for fake endpoints. Starting and stopping Jetty costs more than a test's calls,
 * so plain-HTTP servers are kept between tests and lent again: a lent server answers through the
 * script of whoever holds it, and one given back is reset (listening, no connection, no script).
 * Servers with TLS are made for one endpoint and stopped with it. Every thread is a daemon, so
 * servers kept here never hold a JVM open.
 */
public final class ServerPool {
  private static final int MAX_IDLE = 12;
  private static final Deque<Lease> IDLE = new ArrayDeque<>();

  private ServerPool() {}

  /** A server lent to one fake endpoint; {@link #answerWith} points it at that endpoint. */
  public static final class Lease {
    private final WireMockServer server;
    private final FakeHttpServer http;
    private final Route route;
    private final boolean pooled;

    private Lease(WireMockServer server, FakeHttpServer http, Route route, boolean pooled) {
      this.server = server;
      this.http = http;
      this.route = route;
      this.pooled = pooled;
    }

    public WireMockServer server() {
      return server;
    }

    public FakeHttpServer http() {
      return http;
    }

    /** From now on every request is answered by {@code script}. */
    public void answerWith(ScriptTransformer script) {
      route.target = script;
    }
  }

  /** A server serving plain HTTP ({@code tls} null, from the pool when one is idle) or TLS. */
  public static Lease lend(SSLContext tls) {
    if (tls == null) {
      synchronized (IDLE) {
        Lease idle = IDLE.poll();
        if (idle != null) {
          return idle;
        }
      }
    }
    return start(tls);
  }

  /** Takes back a lent server: kept for the next endpoint when it can be, else stopped. */
  public static void giveBack(Lease lease) {
    lease.route.target = null;
    if (lease.pooled) {
      try {
        lease.http.listening(true);
        lease.http.dropConnections();
        synchronized (IDLE) {
          if (IDLE.size() < MAX_IDLE) {
            IDLE.push(lease);
            return;
          }
        }
      } catch (RuntimeException e) {
        // It could not listen again: stop it rather than lend a broken server.
      }
    }
    lease.server.stop();
  }

  private static Lease start(SSLContext tls) {
    AtomicReference<FakeHttpServer> made = new AtomicReference<>();
    Route route = new Route();
    WireMockConfiguration config =
        wireMockConfig()
            .bindAddress("127.0.0.1")
            .httpServerFactory(FakeHttpServer.factory(tls, made))
            .threadPoolFactory(
                options -> {
                  QueuedThreadPool threads = new QueuedThreadPool(options.containerThreads());
                  threads.setName("mesh-test-fake");
                  threads.setDaemon(true);
                  return threads;
                })
            .extensions(route)
            .jettyAcceptors(1)
            .templatingEnabled(false)
            .http2PlainDisabled(true)
            .http2TlsDisabled(true)
            .disableRequestJournal()
            .gzipDisabled(true)
            .stubRequestLoggingDisabled(true);
    if (tls == null) {
      config.dynamicPort();
    } else {
      config.httpDisabled(true).dynamicHttpsPort();
    }
    WireMockServer server = new WireMockServer(config);
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    return new Lease(server, made.get(), route, tls == null);
  }

  /** Answers through the current holder's script. */
  private static final class Route implements ResponseDefinitionTransformerV2 {
    volatile ScriptTransformer target;

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      ScriptTransformer script = target;
      return script != null
          ? script.transform(event)
          : ResponseDefinitionBuilder.responseDefinition()
              .withStatus(503)
              .withBody("this mesh-test fake server belongs to no endpoint now")
              .build();
    }

    @Override
    public String getName() {
      return "mesh-test-route";
    }
  }
}
