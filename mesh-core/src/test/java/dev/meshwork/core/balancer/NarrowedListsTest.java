package dev.meshwork.core.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lists narrowed from the endpoint set (a zone's endpoints) announced through {@code
 * prepareNarrowed}: the weighted balancers pick from them with a table of their own, exactly as
 * from a whole set, instead of walking the list's weights on every pick.
 */
class NarrowedListsTest {
  private static final ServiceName SERVICE = ServiceName.of("mathoid");
  private static final int PICKS = 1_000;

  /** Seeded where the balancer draws, so two instances make the same draws. */
  static Stream<LoadBalancerFactory> weighted() {
    return Stream.of(LoadBalancers.weightedRoundRobin(), LoadBalancers.random(17));
  }

  @ParameterizedTest
  @MethodSource("weighted")
  void aPreparedNarrowedListIsPickedFromAsIfItWereTheWholeSet(LoadBalancerFactory factory) {
    List<EndpointState> all = Candidates.weighted(1, 2, 3, 4, 5, 6, 7, 8);
    List<EndpointState> zone = List.copyOf(all.subList(2, 6));
    LoadBalancer narrowing = factory.create(SERVICE, new ManualClock());
    narrowing.update(all);
    narrowing.prepareNarrowed(List.of(zone));
    LoadBalancer whole = factory.create(SERVICE, new ManualClock());
    whole.update(zone);
    // The unprepared path draws differently (a random walk over the weights), so it cannot match.
    assertEquals(picks(whole, zone), picks(narrowing, zone), factory.name());
  }

  @ParameterizedTest
  @MethodSource("weighted")
  void aPickFromAPreparedNarrowedListReadsNoWeights(LoadBalancerFactory factory) {
    List<Counted> all = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      all.add(new Counted(Endpoint.builder("10.0.0." + i, 80).weight(i).build()));
    }
    List<Counted> zone = List.copyOf(all.subList(2, 6));
    LoadBalancer balancer = factory.create(SERVICE, new ManualClock());
    balancer.update(List.copyOf(all));
    balancer.prepareNarrowed(List.of(zone));
    Counted.reads.set(0);
    picks(balancer, zone);
    assertEquals(
        0, Counted.reads.get(), factory.name() + ": O(1), not a walk over the list per pick");
  }

  /** The candidates' indexes in the order {@link #PICKS} picks chose them, one digit each. */
  private static <E extends EndpointView> String picks(LoadBalancer balancer, List<E> candidates) {
    StringBuilder picked = new StringBuilder(PICKS);
    for (int i = 0; i < PICKS; i++) {
      picked.append(candidates.indexOf(balancer.pick(candidates, Candidates.noHeaders())));
    }
    return picked.toString();
  }

  /** An endpoint view that counts how often a balancer reads its endpoint (and so its weight). */
  private record Counted(Endpoint endpoint0) implements EndpointView {
    static final AtomicInteger reads = new AtomicInteger();

    @Override
    public Endpoint endpoint() {
      reads.incrementAndGet();
      return endpoint0;
    }

    @Override
    public int activeRequests() {
      return 0;
    }

    @Override
    public double latencyEstimateNanos(long nowNanos) {
      return 0;
    }
  }
}
