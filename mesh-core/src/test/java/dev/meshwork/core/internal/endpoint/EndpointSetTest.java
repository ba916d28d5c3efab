package dev.meshwork.core.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSetTest {
  private static final ServiceName SERVICE = ServiceName.of("mathoid");

  private static EndpointSnapshot snapshot(Endpoint... endpoints) {
    return EndpointSnapshot.of(SERVICE, List.of(endpoints));
  }

  private static EndpointStats statsOf(EndpointSet set, String host, int port) {
    for (EndpointState state : set.states()) {
      if (state.endpoint().host().equals(host) && state.endpoint().port() == port) {
        return state.stats();
      }
    }
    throw new AssertionError("no " + host + ":" + port);
  }

  @Test
  void statisticsFollowTheAddressWhereverItMovesInTheList() {
    EndpointSet first =
        EndpointSet.initial()
            .next(
                snapshot(
                    Endpoint.of("10.0.0.1", 80),
                    Endpoint.of("10.0.0.2", 80),
                    Endpoint.of("10.0.0.3", 80),
                    Endpoint.of("10.0.0.4", 80)),
                Instant.EPOCH,
                0);
    // Same position (10.0.0.1), moved (10.0.0.4, 10.0.0.2), same host on another port (new), a new
    // host, one removed.
    EndpointSet second =
        first.next(
            snapshot(
                Endpoint.of("10.0.0.1", 80),
                Endpoint.of("10.0.0.4", 80),
                Endpoint.of("10.0.0.3", 81),
                Endpoint.of("10.0.0.9", 80),
                Endpoint.builder("10.0.0.2", 80).weight(5).build()),
            Instant.EPOCH,
            1);

    assertSame(statsOf(first, "10.0.0.1", 80), statsOf(second, "10.0.0.1", 80));
    assertSame(statsOf(first, "10.0.0.4", 80), statsOf(second, "10.0.0.4", 80));
    assertSame(
        statsOf(first, "10.0.0.2", 80),
        statsOf(second, "10.0.0.2", 80),
        "a weight change keeps the instance");
    assertNotSame(
        statsOf(first, "10.0.0.3", 80),
        statsOf(second, "10.0.0.3", 81),
        "another port is another instance");
    assertEquals(
        5,
        second.states().get(4).endpoint().weight(),
        "the state describes the endpoint as listed now");
    assertEquals(
        List.of("10.0.0.1", "10.0.0.4", "10.0.0.3", "10.0.0.9", "10.0.0.2"),
        second.states().stream().map(state -> state.endpoint().host()).toList(),
        "states in snapshot order");
    assertEquals(2, second.version());
  }

  @Test
  void newEndpointsRampOnlyWhenTheyJoinEndpointsAlreadyServing() {
    EndpointSet first =
        EndpointSet.initial().next(snapshot(Endpoint.of("10.0.0.1", 80)), Instant.EPOCH, 100);
    assertEquals(EndpointStats.NOT_RAMPING, first.states().get(0).stats().rampStartNanos());
    EndpointSet second =
        first.next(
            snapshot(Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.1", 80)), Instant.EPOCH, 200);
    assertEquals(200, statsOf(second, "10.0.0.2", 80).rampStartNanos());
    assertEquals(EndpointStats.NOT_RAMPING, statsOf(second, "10.0.0.1", 80).rampStartNanos());
  }

  @Test
  void aLargeShuffledUpdateKeepsEveryStayingInstance() {
    List<Endpoint> before = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      before.add(Endpoint.of("10.0." + (i >> 8) + "." + (i & 255), 8080));
    }
    EndpointSet first =
        EndpointSet.initial().next(EndpointSnapshot.of(SERVICE, before), Instant.EPOCH, 0);
    // Reversed, every third one replaced by another port: positions mostly differ, so the index is
    // used.
    List<Endpoint> after = new ArrayList<>();
    for (int i = before.size() - 1; i >= 0; i--) {
      Endpoint endpoint = before.get(i);
      after.add(i % 3 == 0 ? Endpoint.of(endpoint.host(), 9090) : endpoint);
    }
    EndpointSet second = first.next(EndpointSnapshot.of(SERVICE, after), Instant.EPOCH, 1);
    int kept = 0;
    for (int i = 0; i < after.size(); i++) {
      EndpointState state = second.states().get(i);
      int original = before.size() - 1 - i;
      if (original % 3 == 0) {
        assertEquals(1, state.stats().rampStartNanos(), "a new instance starts fresh: " + state);
      } else {
        assertSame(first.states().get(original).stats(), state.stats(), state.toString());
        kept++;
      }
    }
    assertEquals(1_333, kept);
  }
}
