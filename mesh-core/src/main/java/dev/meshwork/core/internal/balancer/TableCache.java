package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import java.util.List;
import java.util.function.Function;

/**
 * Holds a balancer's tables for the endpoint lists it was given: the endpoint set, built by {@code
 * update()} on the discovery thread, and the lists narrowed from the candidates (zones), built by
 * {@code prepareNarrowed()} on the thread that narrowed them. A pick whose candidate list is one of
 * those instances uses its table as is.
 *
 * @param <T> the table type
 */
final class TableCache<T> {
  private record Entry<T>(List<?> endpoints, T table) {}

  private static final Entry<?>[] NONE = new Entry<?>[0];

  private final Function<List<? extends EndpointView>, T> builder;
  private volatile Entry<T> entry;

  /** At most a few (a zone split gives two); an array, so a lookup allocates no iterator. */
  @SuppressWarnings("unchecked")
  private volatile Entry<T>[] narrowed = (Entry<T>[]) NONE;

  TableCache(Function<List<? extends EndpointView>, T> builder) {
    this.builder = builder;
  }

  void rebuild(List<? extends EndpointView> endpoints) {
    entry = new Entry<>(endpoints, builder.apply(endpoints));
  }

  /** Builds the tables of {@code lists}, replacing those of the lists narrowed last time. */
  @SuppressWarnings("unchecked")
  void rebuildNarrowed(List<? extends List<? extends EndpointView>> lists) {
    Entry<T>[] built = (Entry<T>[]) new Entry<?>[lists.size()];
    for (int i = 0; i < built.length; i++) {
      built[i] = new Entry<>(lists.get(i), builder.apply(lists.get(i)));
    }
    narrowed = built;
  }

  /** The table for exactly {@code endpoints}, or {@code null} when none was built for that list. */
  T tableFor(List<?> endpoints) {
    Entry<T> current = entry;
    if (current != null && current.endpoints() == endpoints) {
      return current.table();
    }
    for (Entry<T> other : narrowed) {
      if (other.endpoints() == endpoints) {
        return other.table();
      }
    }
    return null;
  }

  /** The table built by the last {@link #rebuild}, or {@code null} before the first. */
  T latest() {
    Entry<T> current = entry;
    return current == null ? null : current.table();
  }

  /** Builds a table for {@code endpoints} without caching it. */
  T buildFor(List<? extends EndpointView> endpoints) {
    return builder.apply(endpoints);
  }
}
