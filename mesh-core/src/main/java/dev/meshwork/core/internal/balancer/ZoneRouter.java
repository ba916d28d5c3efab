package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.policy.ZoneAwareness;
import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a call's candidates to the caller's zone, or to the other zones for the share that spills
 * over (see {@link ZoneAwareness}). The balancer then picks within the narrowed list, so the
 * spill-over spreads over the other zones by their usable endpoints (and weights, and load).
 *
 * <p>A {@link Partition} of a candidate list is computed once per list instance (lists are
 * immutable snapshots, replaced whenever endpoints, ejections or health change) and kept in a small
 * copy-on-write cache, so a service whose calls use a few lists (route subsets) finds each one's
 * partition; {@link #partitionOf} builds it on the thread that made the list, where the endpoint
 * group also has its balancer build tables for the narrowed lists, so a pick on them costs what a
 * pick on the whole list does. Picks take no lock: one volatile read, a few identity compares, and
 * one atomic add when the zone is split.
 */
public final class ZoneRouter {
  /**
   * Lists whose partitions are kept for calls whose list is no longer their group's current one (a
   * refresh happened mid-call); current lists' partitions live on their endpoint groups.
   */
  static final int CACHE_SIZE = 4;

  private final String localZone;
  private final ZoneAwareness policy;
  private final Equidistributed draws = new Equidistributed();
  private volatile Partition[] cache = new Partition[0];

  public ZoneRouter(String localZone, ZoneAwareness policy) {
    this.localZone = localZone;
    this.policy = policy;
  }

  /**
   * How one candidate list splits by zone.
   *
   * @param candidates the list this partition is for
   * @param population the endpoints the candidates were chosen from, usable or not
   * @param local the candidates in the caller's zone
   * @param remote the other candidates
   * @param localShare the fraction of picks that use {@code local}
   */
  public record Partition(
      List<EndpointState> candidates,
      List<EndpointState> population,
      List<EndpointState> local,
      List<EndpointState> remote,
      double localShare) {

    /**
     * The lists {@link ZoneRouter#narrow(Partition)} may hand the balancer other than the
     * candidates themselves: the ones it needs tables for beside the candidates'.
     */
    public List<List<EndpointState>> narrowed() {
      List<List<EndpointState>> lists = new ArrayList<>(2);
      if (localShare > 0.0 && local != candidates) {
        lists.add(local);
      }
      if (localShare < 1.0 && remote != candidates) {
        lists.add(remote);
      }
      return lists;
    }
  }

  /**
   * The list the balancer should pick from for one attempt: {@code candidates} themselves, their
   * local part or their remote part.
   *
   * @param population the endpoints the candidates were chosen from (a subset's members, or the
   *     service's whole set), usable or not; the local zone's health is judged against it
   */
  public List<EndpointState> narrow(
      List<EndpointState> candidates, List<EndpointState> population) {
    return narrow(partition(candidates, population));
  }

  /** As {@link #narrow(List, List)}, with the partition already at hand. */
  public List<EndpointState> narrow(Partition partition) {
    double share = partition.localShare();
    if (share >= 1.0) {
      return partition.local();
    }
    if (share <= 0.0) {
      return partition.remote();
    }
    return draws.next() < share ? partition.local() : partition.remote();
  }

  /**
   * The partition of {@code candidates}, built now and not cached: for an endpoint group to hold
   * beside its candidates, so a service with many subsets never churns the cache.
   */
  public Partition partitionOf(List<EndpointState> candidates, List<EndpointState> population) {
    return build(candidates, population);
  }

  /** The partition of {@code candidates}, from the cache or built now. */
  private Partition partition(List<EndpointState> candidates, List<EndpointState> population) {
    Partition[] entries = cache;
    for (Partition entry : entries) {
      if (entry.candidates() == candidates && entry.population() == population) {
        return entry;
      }
    }
    Partition built = build(candidates, population);
    // Newest first, oldest dropped; a racing writer may drop this entry, which costs one rebuild
    // later.
    Partition[] next = new Partition[Math.min(CACHE_SIZE, entries.length + 1)];
    next[0] = built;
    System.arraycopy(entries, 0, next, 1, next.length - 1);
    cache = next;
    return built;
  }

  private Partition build(List<EndpointState> candidates, List<EndpointState> population) {
    List<EndpointState> local = new ArrayList<>();
    List<EndpointState> remote = new ArrayList<>();
    for (EndpointState candidate : candidates) {
      (localZone.equals(candidate.endpoint().zone()) ? local : remote).add(candidate);
    }
    int localTotal = 0;
    for (EndpointState member : population) {
      if (localZone.equals(member.endpoint().zone())) {
        localTotal++;
      }
    }
    double share;
    if (local.isEmpty()) {
      share = 0;
    } else if (remote.isEmpty()) {
      share = 1;
    } else {
      // A population that lost track of a local candidate (a race with an update) counts it as
      // present.
      share = policy.localShare(local.size(), Math.max(localTotal, local.size()));
    }
    return new Partition(
        candidates,
        population,
        local.size() == candidates.size() ? candidates : List.copyOf(local),
        remote.size() == candidates.size() ? candidates : List.copyOf(remote),
        share);
  }
}
