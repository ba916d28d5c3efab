package dev.meshwork.config;

import dev.meshwork.config.internal.ConfigWatch;
import dev.meshwork.config.internal.SourceText;
import java.io.IOException;
import java.util.List;

/** The sources mesh-config makes itself. */
final class Sources {
  private Sources() {}

  /** A source read by one of mesh-config's readers. */
  record Reading(String name, ConfigWatch.Reader reader) implements MeshConfigSource {
    @Override
    public List<Document> read() throws IOException {
      return reader.read().stream().map(t -> new Document(t.name(), t.text())).toList();
    }
  }

  static ConfigWatch.Reader reader(MeshConfigSource source) {
    if (source instanceof Reading reading) {
      return reading.reader();
    }
    return () -> source.read().stream().map(d -> new SourceText(d.name(), d.text())).toList();
  }
}
