package dev.meshwork.xds;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.xds.internal.ConfigSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Builds the mesh from the first configuration the xDS client accepts and swaps the routes of later
 * ones into it, which is all a mesh without a configurer can take live; the configurations are kept
 * for assertions.
 */
final class MeshSink implements ConfigSink {
  final CompletableFuture<Mesh> mesh = new CompletableFuture<>();
  final List<List<ServiceConfig>> applied = new CopyOnWriteArrayList<>();
  final List<String> rejections = new CopyOnWriteArrayList<>();
  private final Consumer<MeshBuilder> configure;

  MeshSink(Consumer<MeshBuilder> configure) {
    this.configure = configure;
  }

  @Override
  public void apply(List<ServiceConfig> services, String source, String version) {
    if (!mesh.isDone()) {
      MeshBuilder builder = Mesh.builder();
      configure.accept(builder);
      services.forEach(builder::service);
      mesh.complete(builder.build());
    } else {
      Mesh live = mesh.join();
      if (!live.services().stream()
          .map(Object::toString)
          .collect(Collectors.toSet())
          .equals(services.stream().map(s -> s.name().toString()).collect(Collectors.toSet()))) {
        throw new MeshConfigException("services", services, "the services the mesh was built with");
      }
      services.forEach(s -> live.replaceRoutes(s.name().toString(), s.routes()));
    }
    applied.add(services);
  }

  @Override
  public void rejected(String source, String version, String error) {
    rejections.add(version + ": " + error);
  }
}
