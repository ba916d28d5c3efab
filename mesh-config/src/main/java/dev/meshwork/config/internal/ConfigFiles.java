package dev.meshwork.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the documents of the file, directory and class-path sources, each whole and once. */
public final class ConfigFiles {
  /** The link a mounted ConfigMap swaps atomically to a new timestamped directory. */
  static final String DATA_LINK = "..data";

  private ConfigFiles() {}

  /** The document in {@code file} (links followed). */
  public static List<SourceText> file(Path file) throws IOException {
    return List.of(new SourceText(file.toString(), readLimited(file)));
  }

  /**
   * The documents ({@code .yaml}, {@code .yml}, {@code .json}; hidden files skipped) in {@code
   * directory}, by name. In a mounted ConfigMap the files are read from the directory {@code
   * ..data} points to, resolved once, so a swap during the read never mixes two versions: each
   * timestamped directory is complete before the link moves to it and never changes afterwards.
   */
  public static List<SourceText> directory(Path directory) throws IOException {
    Path data = directory.resolve(DATA_LINK);
    Path from = Files.exists(data) ? data.toRealPath() : directory;
    List<Path> files;
    try (Stream<Path> listed = Files.list(from)) {
      files = listed.filter(ConfigFiles::isDocument).filter(Files::isRegularFile).sorted().toList();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(directory + ": the directory does not exist");
    }
    if (files.isEmpty()) {
      throw new IOException(directory + ": no .yaml, .yml or .json document in it");
    }
    List<SourceText> texts = new ArrayList<>();
    for (Path file : files) {
      // Named by the directory the user gave, not the timestamped one behind the link.
      texts.add(
          new SourceText(directory.resolve(file.getFileName()).toString(), readLimited(file)));
    }
    return texts;
  }

  /** The class-path resource {@code resource}. */
  public static List<SourceText> classpath(ClassLoader loader, String resource) throws IOException {
    String name = "classpath:" + resource;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new NoSuchFileException(name + ": no class-path resource of that name");
      }
      byte[] bytes = in.readNBytes(DocumentReader.MAX_SIZE + 1);
      if (bytes.length > DocumentReader.MAX_SIZE) {
        throw new IOException(name + ": more than " + DocumentReader.MAX_SIZE + " bytes");
      }
      return List.of(new SourceText(name, new String(bytes, StandardCharsets.UTF_8)));
    }
  }

  private static boolean isDocument(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  private static String readLimited(Path file) throws IOException {
    long size = Files.size(file);
    if (size > DocumentReader.MAX_SIZE) {
      throw new IOException(
          file + ": " + size + " bytes; expected at most " + DocumentReader.MAX_SIZE + " (16 MiB)");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
