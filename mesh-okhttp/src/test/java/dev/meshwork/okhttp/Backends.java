package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Real WireMock servers on loopback, without stubs (each test says how its backends misbehave), and
 * the small helpers the end-to-end resilience tests share: the request journal read as a ledger, a
 * closed port, waiting on a condition with a deadline, and a service with every resilience feature
 * off but the one under test.
 */
public final class Backends implements AutoCloseable {
  /**
   * A header the tests put a unique id in, so the backends' journals tell which call each request
   * belongs to.
   */
  static final String REQUEST_ID = "x-request-id";

  private final List<WireMockServer> servers = new ArrayList<>();

  public Backends(int count) {
    for (int i = 0; i < count; i++) {
      WireMockServer server =
          new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
      server.start();
      servers.add(server);
    }
  }

  /** {@code count} backends that answer every request with {@code status}. */
  public static Backends answering(int count, int status) {
    Backends backends = new Backends(count);
    for (WireMockServer server : backends.servers) {
      server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)));
    }
    return backends;
  }

  public WireMockServer get(int index) {
    return servers.get(index);
  }

  public String address(int index) {
    return "127.0.0.1:" + servers.get(index).port();
  }

  public String[] addresses() {
    String[] addresses = new String[servers.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = address(i);
    }
    return addresses;
  }

  /** Requests backend {@code index} received, whatever it answered (faults included). */
  public int requests(int index) {
    return servers.get(index).getAllServeEvents().size();
  }

  public int totalRequests() {
    int total = 0;
    for (int i = 0; i < servers.size(); i++) {
      total += requests(i);
    }
    return total;
  }

  /** The {@link #REQUEST_ID} of every request any backend received, one entry per request. */
  public List<String> requestIds() {
    List<String> ids = new ArrayList<>();
    for (WireMockServer server : servers) {
      for (ServeEvent event : server.getAllServeEvents()) {
        ids.add(event.getRequest().getHeader(REQUEST_ID));
      }
    }
    return ids;
  }

  /**
   * Backend {@code index} gives {@code answers} in turn to requests matching {@code request}, the
   * last one from then on (a WireMock scenario named after the request).
   */
  public void answerInTurn(
      int index, Supplier<MappingBuilder> request, ResponseDefinitionBuilder... answers) {
    String scenario = request.get().build().getRequest().toString();
    for (int i = 0; i < answers.length; i++) {
      ScenarioMappingBuilder mapping =
          request
              .get()
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i)
              .willReturn(answers[i]);
      if (i < answers.length - 1) {
        mapping.willSetStateTo("answer-" + (i + 1));
      }
      servers.get(index).stubFor(mapping);
    }
  }

  @Override
  public void close() {
    servers.forEach(WireMockServer::stop);
  }

  /** {@code 127.0.0.1:port} where nothing listens: connecting is refused. */
  public static String closedAddress() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A service over {@code addresses}, round robin (deterministic spread), with the breaker, outlier
   * detection and the retry budget off; a test turns on what it tests.
   */
  public static ServiceConfig.Builder plain(ServiceConfig.Builder service, String... addresses) {
    return service
        .endpoints(addresses)
        .loadBalancer(LoadBalancers.roundRobin())
        .circuitBreaker(CircuitBreakerPolicy.disabled())
        .outlierDetection(OutlierDetection.disabled())
        .retryBudget(RetryBudget.disabled());
  }

  /** The status of {@code service}'s endpoint at {@code address}. */
  public static EndpointStatus status(Mesh mesh, String service, String address) {
    for (EndpointStatus status : mesh.endpointStatus(service)) {
      if (status.endpoint().address().equals(address)) {
        return status;
      }
    }
    throw new AssertionError(
        "service '"
            + service
            + "' has no endpoint "
            + address
            + ": "
            + mesh.endpointStatus(service));
  }

  /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
  public static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
      }
      Thread.sleep(10); // polling a condition, not synchronising on time
    }
  }

  /** Executes {@code request} and returns its status, closing the response. */
  public static int statusOf(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }
}
