package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.Endpoint;
import java.util.List;

/**
 * Positions in a list of endpoints by identity ({@code host} and {@code port}, which is what {@link
 * Endpoint#address()} formats), for updates of thousands of endpoints: one int array with open
 * addressing, so indexing a list allocates one array rather than a key and a node per endpoint, and
 * a lookup uses the host's cached string hash and never formats an address.
 */
public final class AddressIndex {
  private final List<Endpoint> endpoints;

  /**
   * Position + 1 of the endpoint in each slot, 0 when free; at most half full, so probes stay
   * short.
   */
  private final int[] slots;

  private final int mask;

  /** An empty index over {@code endpoints}; {@link #add} puts positions in. */
  public AddressIndex(List<Endpoint> endpoints) {
    this.endpoints = endpoints;
    int capacity = Integer.highestOneBit(Math.max(2, endpoints.size()) * 2 - 1) * 2;
    this.slots = new int[capacity];
    this.mask = capacity - 1;
  }

  /** An index of every position of {@code endpoints}, whose addresses are unique. */
  public static AddressIndex of(List<Endpoint> endpoints) {
    AddressIndex index = new AddressIndex(endpoints);
    for (int i = 0; i < endpoints.size(); i++) {
      index.add(i);
    }
    return index;
  }

  /**
   * Adds the endpoint at {@code position}.
   *
   * @return the position of an endpoint already added with the same address, or -1 when none was
   */
  public int add(int position) {
    int slot = slotFor(endpoints.get(position));
    if (slots[slot] != 0) {
      return slots[slot] - 1;
    }
    slots[slot] = position + 1;
    return -1;
  }

  /** The position of the endpoint with {@code endpoint}'s address, or -1 when there is none. */
  public int indexOf(Endpoint endpoint) {
    return slots[slotFor(endpoint)] - 1;
  }

  /** The slot that holds {@code endpoint}'s address, or the free slot where it would go. */
  private int slotFor(Endpoint endpoint) {
    // Fibonacci hashing spreads the low-entropy sum (hosts that differ in one digit) over the
    // table.
    int h = (endpoint.host().hashCode() * 31 + endpoint.port()) * 0x9E3779B9;
    int slot = (h ^ h >>> 16) & mask;
    while (slots[slot] != 0 && !sameAddress(endpoints.get(slots[slot] - 1), endpoint)) {
      slot = slot + 1 & mask;
    }
    return slot;
  }

  /**
   * Whether two endpoints are the same instance: equal {@link Endpoint#address()}es, compared
   * without formatting them.
   */
  public static boolean sameAddress(Endpoint a, Endpoint b) {
    return a.port() == b.port() && a.host().equals(b.host());
  }
}
