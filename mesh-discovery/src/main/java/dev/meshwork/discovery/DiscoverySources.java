package dev.meshwork.discovery;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.discovery.internal.MergedWatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ways to combine discovery sources. A different source per service needs nothing from here: give
 * each service its own with {@code ServiceConfig.Builder.discovery(...)}.
 */
public final class DiscoverySources {
  private DiscoverySources() {}

  /**
   * One service's endpoints from several sources at once, for example a DNS name plus a file of
   * extra instances during a migration. The service gets the union of every source's last good
   * answer: each source keeps its own last known good, so one failing source removes nothing, and
   * an address listed by two sources is taken from the first. {@code Mesh.discoveryHealth} reports
   * each source as a part.
   *
   * @throws MeshConfigException when fewer than two sources are given
   */
  public static DiscoverySource merged(DiscoverySource... sources) {
    List<DiscoverySource> children = new ArrayList<>();
    for (DiscoverySource source : sources) {
      children.add(Objects.requireNonNull(source, "source"));
    }
    if (children.size() < 2) {
      throw new MeshConfigException(
          "merged discovery sources", children.size(), "two or more sources");
    }
    return new Merged(List.copyOf(children));
  }

  /**
   * The sources {@code source} combines when {@link #merged} made it, in order; empty for any other
   * source.
   */
  public static List<DiscoverySource> parts(DiscoverySource source) {
    return source instanceof Merged merged ? merged.sources : List.of();
  }

  private static final class Merged implements DiscoverySource {
    private final List<DiscoverySource> sources;
    private final String description;

    Merged(List<DiscoverySource> sources) {
      this.sources = sources;
      StringBuilder names = new StringBuilder("merged[");
      for (int i = 0; i < sources.size(); i++) {
        names.append(i == 0 ? "" : ", ").append(sources.get(i).describe());
      }
      this.description = names.append(']').toString();
    }

    @Override
    public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
      return new MergedWatch(description, sources, service, listener, context);
    }

    @Override
    public String describe() {
      return description;
    }

    /** Equal when the same sources, each equal, are merged in the same order. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Merged that && sources.equals(that.sources);
    }

    @Override
    public int hashCode() {
      return sources.hashCode();
    }
  }
}
