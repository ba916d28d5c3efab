package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.balancer.EndpointView;
import java.util.List;
import java.util.function.Function;

/**
 * Holds a balancer's table for the endpoint list it was built from. {@code update()} builds it
 * on the discovery thread; a pick whose candidate list is that same instance uses it as is.
 *
 * @param <T> the table type
 */
final class TableCache<T> {
  private record Entry<T>(List<?> endpoints, T table) {
  }

  private final Function<List<? extends EndpointView>, T> builder;
  private volatile Entry<T> entry;

  TableCache(Function<List<? extends EndpointView>, T> builder) {
    this.builder = builder;
  }

  void rebuild(List<? extends EndpointView> endpoints) {
    entry = new Entry<>(endpoints, builder.apply(endpoints));
  }

  /** The table for exactly {@code endpoints}, or {@code null} when it was built for another list. */
  T tableFor(List<?> endpoints) {
    Entry<T> current = entry;
    return current != null && current.endpoints() == endpoints ? current.table() : null;
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
