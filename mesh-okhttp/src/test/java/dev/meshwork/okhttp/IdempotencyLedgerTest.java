package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger: backends record the id of every request they receive. Two answer, two break the
 * connection after reading the request (reset by peer, empty response), and one address refuses
 * connections. A POST may be retried only when the failure proves nothing was sent (the refused
 * connect), so every POST id must appear at most once across all backends; GETs, idempotent, are
 * retried after the faults too, so some GET ids appear twice. The same holds when a backend is
 * killed in the middle of a concurrent run.
 */
class IdempotencyLedgerTest {
  private static final int CALLS = 100;
  private static final int OK_1 = 0;
  private static final int OK_2 = 1;
  private static final int RESET = 2;
  private static final int EMPTY = 3;

  private Backends backends;
  private Mesh mesh;
  private OkHttpClient client;

  /** Calls (by request id) that had a connect attempt refused. */
  private final Set<String> refusedConnect = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    backends = new Backends(4);
    backends
        .get(OK_1)
        .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok-1")));
    backends
        .get(OK_2)
        .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok-2")));
    backends
        .get(RESET)
        .stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    backends
        .get(EMPTY)
        .stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
    String[] addresses = {
      backends.address(OK_1),
      backends.address(RESET),
      Backends.closedAddress(),
      backends.address(EMPTY),
      backends.address(OK_2)
    };
    // Four attempts over five endpoints, each retry to an endpoint not yet tried: a GET always
    // reaches a healthy backend, so every GET must succeed. Breaker, ejection and budget are off
    // (Backends.plain) so the bad endpoints keep getting first attempts for the whole run.
    mesh =
        Mesh.builder()
            .service(
                "ledger",
                s ->
                    Backends.plain(s, addresses)
                        .retries(
                            RetryPolicy.builder()
                                .maxAttempts(4)
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                                .build()))
            .build();
    client =
        MeshOkHttp.of(mesh)
            .client()
            .newBuilder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void connectFailed(
                      Call call,
                      InetSocketAddress address,
                      Proxy proxy,
                      okhttp3.Protocol protocol,
                      IOException failure) {
                    refusedConnect.add(call.request().header(Backends.REQUEST_ID));
                  }
                })
            .build();
  }

  @AfterEach
  void stop() {
    mesh.close();
    backends.close();
  }

  @Test
  void everyPostReachesTheBackendsAtMostOnceAndRefusedOnesAreRetriedElsewhere() throws IOException {
    int succeeded = 0;
    int failedAfterReaching = 0;
    Set<String> succeededAfterRefusal = new java.util.HashSet<>();
    for (int i = 0; i < CALLS; i++) {
      String id = "post-" + i;
      try {
        assertEquals(200, Backends.statusOf(client, post(id)), id);
        succeeded++;
        if (refusedConnect.contains(id)) {
          succeededAfterRefusal.add(id);
        }
      } catch (MeshException.EndpointFailed e) {
        // A reset or empty answer after the POST was written: the mesh must not retry it, and says
        // where it broke.
        assertTrue(
            e.getMessage().contains(backends.address(RESET))
                || e.getMessage().contains(backends.address(EMPTY)),
            e.getMessage());
        failedAfterReaching++;
      }
    }

    Map<String, Integer> seen = counts(backends.requestIds());
    seen.forEach(
        (id, times) ->
            assertEquals(1, times, "POST " + id + " reached the backends " + times + " times"));
    assertEquals(CALLS, seen.size(), "every POST reached some backend once");
    // Round robin over 5 endpoints: a fifth of first attempts hit the refused address and are
    // retried.
    assertTrue(
        succeededAfterRefusal.size() >= CALLS / 10,
        "POSTs that succeeded after a refused connect: " + succeededAfterRefusal.size());
    // The faults were hit (so the ledger had something to catch) and those POSTs failed instead of
    // repeating.
    assertTrue(
        failedAfterReaching >= CALLS / 5,
        "POSTs failed after reaching a faulty backend: " + failedAfterReaching);
    assertEquals(CALLS, succeeded + failedAfterReaching);
  }

  @Test
  void getsAreRetriedAfterTheSameFaultsSoTheLedgerCanTellARepeat() throws IOException {
    for (int i = 0; i < CALLS; i++) {
      Request get =
          new Request.Builder()
              .url("http://ledger/orders/" + i)
              .header(Backends.REQUEST_ID, "get-" + i)
              .build();
      assertEquals(200, Backends.statusOf(client, get), "get-" + i);
    }
    Map<String, Integer> seen = counts(backends.requestIds());
    long repeated = seen.values().stream().filter(times -> times > 1).count();
    // Two of the five first-attempt endpoints break the connection after reading the request.
    assertTrue(repeated >= CALLS / 5, "GETs that reached the backends more than once: " + repeated);
    assertEquals(CALLS, seen.size());
  }

  @Test
  void everyPostReachesTheBackendsAtMostOnceWhenABackendIsKilledMidRun() throws Exception {
    KillDuringRun.Result run =
        KillDuringRun.run(
            8,
            100,
            200,
            () -> backends.get(OK_2).stop(),
            n -> {
              try {
                int status = Backends.statusOf(client, post("kill-" + n));
                return status == 200 ? null : "status " + status;
              } catch (IOException e) {
                return e
                    .toString(); // allowed: a POST that may have been processed fails rather than
                // repeat
              }
            });

    Map<String, Integer> seen = counts(backends.requestIds());
    seen.forEach(
        (id, times) ->
            assertEquals(1, times, "POST " + id + " reached the backends " + times + " times"));
    assertTrue(backends.requests(OK_2) > 0, "the killed backend served POSTs before it died");
    long refusedThenServed = refusedConnect.stream().filter(seen::containsKey).count();
    assertTrue(
        refusedThenServed > 0,
        "POSTs retried after a refused connect (closed port or killed backend)");
    assertTrue(
        run.failures().size() < run.completed(),
        "failed " + run.failures().size() + " of " + run.completed());
  }

  private static Request post(String id) {
    return new Request.Builder()
        .url("http://ledger/orders")
        .header(Backends.REQUEST_ID, id)
        .post(RequestBody.create("{\"order\":\"" + id + "\"}", MediaType.get("application/json")))
        .build();
  }

  private static Map<String, Integer> counts(List<String> ids) {
    Map<String, Integer> counts = new HashMap<>();
    for (String id : ids) {
      counts.merge(id, 1, Integer::sum);
    }
    return counts;
  }
}
