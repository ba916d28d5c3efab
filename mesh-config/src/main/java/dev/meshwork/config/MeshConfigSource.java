package dev.meshwork.config;

import dev.meshwork.config.internal.ConfigFiles;
import dev.meshwork.config.internal.SourceText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link LiveConfig} reads a mesh document: a file, a directory (a mounted ConfigMap), a
 * class-path resource, a code-built base, or a source of another module (a Kubernetes ConfigMap in
 * mesh-discovery-kubernetes). Several sources compose: later documents merge over earlier ones by
 * the rule of {@link MeshConfig#load}.
 *
 * <pre>{@code
 * LiveConfig live = LiveConfig.watch(mesh, Duration.ofSeconds(1),
 *     MeshConfigSource.of(MeshConfig.of(mesh)),                    // the code-built base
 *     MeshConfigSource.file(Path.of("/etc/meshwork/mesh.yaml")));  // its overrides
 * }</pre>
 *
 * <p>A source is read on the watch's thread, one read at a time; {@link #read} should be cheap (it
 * runs at every poll) and return each document whole.
 */
public interface MeshConfigSource {

  /** Names the source in {@code mesh.configStatus()} and logs. */
  String name();

  /**
   * The source's documents now, in merge order.
   *
   * @throws IOException when the source cannot be read; the running configuration then stays
   */
  List<Document> read() throws IOException;

  /**
   * One document of a source.
   *
   * @param name names it in problems (a path, {@code classpath:...}, a ConfigMap key)
   * @param text its YAML or JSON
   */
  record Document(String name, String text) {
    public Document {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
    }
  }

  /** The document in {@code file}, links followed; a replaced or rewritten file is a change. */
  static MeshConfigSource file(Path file) {
    Objects.requireNonNull(file, "file");
    return new Sources.Reading(file.toString(), () -> ConfigFiles.file(file));
  }

  /**
   * The {@code .yaml}, {@code .yml} and {@code .json} files of {@code directory} (hidden files
   * skipped), merged in name order. A mounted ConfigMap or Secret is read through its {@code
   * ..data} link, resolved once per read, so the atomic swap the kubelet makes is seen whole and a
   * half-written state never is.
   */
  static MeshConfigSource directory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return new Sources.Reading(directory.toString(), () -> ConfigFiles.directory(directory));
  }

  /** The class-path resource {@code resource} (such as {@code meshwork/mesh.yaml}). */
  static MeshConfigSource classpath(String resource) {
    Objects.requireNonNull(resource, "resource");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ClassLoader from = loader != null ? loader : MeshConfigSource.class.getClassLoader();
    return new Sources.Reading(
        "classpath:" + resource, () -> ConfigFiles.classpath(from, resource));
  }

  /**
   * A fixed configuration, such as the code-built base {@code MeshConfig.of(mesh)} for files to
   * override. It must be expressible as a document (see {@link MeshConfig#of}).
   */
  static MeshConfigSource of(MeshConfig base) {
    Objects.requireNonNull(base, "base");
    String json = base.toJson();
    return new Sources.Reading("builder", () -> List.of(new SourceText("builder.json", json)));
  }
}
