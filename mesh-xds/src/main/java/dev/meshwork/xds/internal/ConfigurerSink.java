package dev.meshwork.xds.internal;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.MeshConfigurer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the xDS services to a running mesh through its {@link MeshConfigurer}: the services the
 * mesh has from elsewhere (the builder, another source) are handed back unchanged, so xDS replaces
 * only the services it manages.
 */
public final class ConfigurerSink implements ConfigSink {
  private final Mesh mesh;
  private final MeshConfigurer configurer;
  private Set<ServiceName> managed = Set.of();

  public ConfigurerSink(Mesh mesh) {
    this.mesh = mesh;
    this.configurer = MeshConfigurer.of(mesh);
  }

  @Override
  public void apply(
      List<ServiceConfig> services, String source, String version, List<String> warnings) {
    Set<ServiceName> names = new HashSet<>();
    services.forEach(s -> names.add(s.name()));
    List<ServiceConfig> all = new ArrayList<>(services);
    for (ServiceName other : mesh.services()) {
      if (!names.contains(other) && !managed.contains(other)) {
        all.add(mesh.config(other.toString()));
      }
    }
    configurer.apply(all, source, version, warnings);
    managed = Set.copyOf(names);
  }

  @Override
  public void rejected(String source, String version, String error) {
    configurer.rejected(source, version, error);
  }
}
