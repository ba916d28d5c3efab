package dev.meshwork.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.config.internal.DocumentReader;
import dev.meshwork.config.internal.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reading documents' text within the size limit, and turning refusals into the API's exception. */
final class DocumentIo {
  private DocumentIo() {}

  /** The renderers; a holder, so a start that only parses never builds them. */
  static final class Writers {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML =
        new ObjectMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());

    private Writers() {}
  }

  /** The UTF-8 text of {@code file}, refused when it is over the size limit or unreadable. */
  static String text(Path file) {
    String name = file.toString();
    try {
      long size = Files.size(file);
      if (size > DocumentReader.MAX_SIZE) {
        throw refused(
            name,
            size + " bytes",
            "a document of at most "
                + DocumentReader.MAX_SIZE
                + " bytes (16 MiB); split it into files");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw refused(name, "", "a readable UTF-8 file (" + e + ")");
    }
  }

  /** The text of the class-path resource {@code resource}, from the context class loader first. */
  static String resourceText(String resource) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = MeshConfig.class.getClassLoader();
    }
    String name = "classpath:" + resource;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw refused(name, "", "a class-path resource of that name (none found)");
      }
      byte[] bytes = in.readNBytes(DocumentReader.MAX_SIZE + 1);
      if (bytes.length > DocumentReader.MAX_SIZE) {
        throw refused(
            name,
            "more than " + DocumentReader.MAX_SIZE + " bytes",
            "a document of at most " + DocumentReader.MAX_SIZE + " bytes (16 MiB)");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw refused(name, "", "a readable resource (" + e + ")");
    }
  }

  /** Runs {@code step}, handing the internals' refusal to the caller as the API's exception. */
  static <T> T checked(Supplier<T> step) {
    try {
      return step.get();
    } catch (Issue.Refused e) {
      List<Problem> problems = new ArrayList<>();
      for (Issue issue : e.issues()) {
        problems.add(
            new Problem(
                issue.source(),
                issue.line(),
                issue.column(),
                issue.path(),
                issue.value(),
                issue.expected()));
      }
      throw new ConfigDocumentException(problems);
    }
  }

  private static ConfigDocumentException refused(String source, String value, String expected) {
    return new ConfigDocumentException(List.of(new Problem(source, 0, 0, "", value, expected)));
  }
}
