package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every Java sample of the README and of the public Javadoc ({@code <pre>{@code ...}}
 * blocks), so a sample cannot drift from the API it shows. Each sample is compiled as it is
 * written, in turn as a method body, as class members, and as one expression; it passes when one of
 * them compiles. The names a sample may use without declaring them are the fields of {@code
 * SamplePrelude}, the public types of every Meshwork package, and the JDK and OkHttp packages
 * listed in {@link #STAR_IMPORTS}.
 */
class CodeSamplesTest {

  /** Modules whose Javadoc samples are compiled; each is on this module's test classpath. */
  private static final List<String> MODULES =
      List.of(
          "mesh-core",
          "mesh-tls",
          "mesh-discovery",
          "mesh-discovery-kubernetes",
          "mesh-config",
          "mesh-okhttp",
          "mesh-admin",
          "mesh-test",
          "mesh-xds");

  private static final List<String> STAR_IMPORTS =
      List.of(
          "java.net",
          "java.nio.file",
          "java.time",
          "java.util",
          "java.util.concurrent",
          "javax.net.ssl",
          "okhttp3",
          "retrofit2",
          "retrofit2.http",
          "retrofit2.converter.jackson",
          "io.micrometer.core.instrument",
          "io.opentelemetry.api",
          "org.junit.jupiter.api",
          "org.junit.jupiter.api.extension");

  private static final Pattern README_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");
  private static final Pattern JAVADOC_BLOCK = Pattern.compile("(?s)<pre>\\{@code\\n(.*?)}</pre>");
  private static final Pattern YAML_FIRST_LINE = Pattern.compile("^[A-Za-z_-]+:( .*)?$");

  record Sample(String origin, String code) {}

  @TestFactory
  Stream<DynamicTest> everySampleCompiles() {
    Path root = repositoryRoot();
    List<Sample> samples = new ArrayList<>(readmeSamples(root));
    samples.addAll(markdownSamples(root, "docs/GUIDE.md"));
    for (String module : MODULES) {
      samples.addAll(javadocSamples(root.resolve(module).resolve("src/main/java")));
    }
    assertTrue(samples.size() >= 30, "found only " + samples.size() + " samples under " + root);
    String imports = imports(root);
    return samples.stream()
        .map(s -> DynamicTest.dynamicTest(s.origin(), () -> assertCompiles(s, imports)));
  }

  /**
   * The README's program for "mTLS from the built-in CA, canary 95/5, tracing" stays within 12
   * lines and 6 Meshwork types: the measure of how much a newcomer must learn.
   */
  @org.junit.jupiter.api.Test
  void theShortProgramStaysShort() {
    Path root = repositoryRoot();
    Sample program =
        readmeSamples(root).stream()
            .filter(s -> s.code().contains("MeshTls.builtIn("))
            .findFirst()
            .orElseThrow(() -> new AssertionError("README has no sample using MeshTls.builtIn"));
    long lines = program.code().lines().filter(l -> !l.isBlank()).count();
    String withoutComments = program.code().replaceAll("//[^\n]*", "");
    Set<String> meshworkTypes = new TreeSet<>();
    Matcher imported =
        Pattern.compile("import (dev\\.meshwork\\.[\\w.]+)\\.(\\w+);").matcher(imports(root));
    while (imported.find()) {
      if (Pattern.compile("\\b" + imported.group(2) + "\\b").matcher(withoutComments).find()) {
        meshworkTypes.add(imported.group(2));
      }
    }
    assertTrue(lines <= 12, program.origin() + " has " + lines + " lines, more than 12");
    assertTrue(
        meshworkTypes.size() <= 6,
        program.origin() + " uses " + meshworkTypes.size() + " Meshwork types: " + meshworkTypes);
    assertTrue(meshworkTypes.size() >= 4, "the type scan found only " + meshworkTypes);
  }

  /**
   * The README's mesh-test sample, "my client keeps working when one of three instances starts
   * failing", stays a whole test class of at most 15 lines.
   */
  @org.junit.jupiter.api.Test
  void theKitSampleIsAWholeTestInFifteenLines() {
    Sample test =
        readmeSamples(repositoryRoot()).stream()
            .filter(s -> s.code().contains("@MeshTest"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("README has no sample using @MeshTest"));
    long lines = test.code().lines().filter(l -> !l.isBlank()).count();
    assertTrue(lines <= 15, test.origin() + " has " + lines + " lines, more than 15");
    assertTrue(test.code().contains("endpoints(3)"), test.origin() + " fakes three instances");
  }

  private static void assertCompiles(Sample sample, String imports) throws IOException {
    String code = sample.code();
    List<String> wrappings =
        List.of(
            "  void sample() throws Exception {\n" + code + "\n  }\n",
            code + "\n",
            "  Object sample() throws Exception {\n    return " + code + ";\n  }\n",
            "  interface SampleApi {\n" + code + "\n  }\n");
    StringBuilder failures = new StringBuilder();
    for (String body : wrappings) {
      String source =
          imports
              + ambiguousNames(code)
              + "\nclass Sample extends dev.meshwork.examples.SamplePrelude {\n"
              + body
              + "}\n";
      String errors = compile(source);
      if (errors.isEmpty()) {
        return;
      }
      failures.append("--- as\n").append(source).append("--- javac says\n").append(errors);
    }
    fail(sample.origin() + " does not compile in any form:\n" + failures);
  }

  /**
   * Retrofit and the JDK or OkHttp share three simple names; a sample means Retrofit's when it uses
   * them the Retrofit way.
   */
  private static String ambiguousNames(String code) {
    return "\n"
        + (code.contains("Call<") ? "import retrofit2.Call;\n" : "import okhttp3.Call;\n")
        + (code.contains("Response<")
            ? "import retrofit2.Response;\n"
            : "import okhttp3.Response;\n")
        + (code.contains("@Path(")
            ? "import retrofit2.http.Path;\n"
            : "import java.nio.file.Path;\n");
  }

  private static String compile(String source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path dir = Files.createTempDirectory("sample");
    Path file = dir.resolve("Sample.java");
    Files.writeString(file, source);
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options =
          List.of(
              "-proc:none",
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              dir.toString());
      javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  private static List<Sample> readmeSamples(Path root) {
    return markdownSamples(root, "README.md");
  }

  /** The ```java blocks of a Markdown file of the repository. */
  private static List<Sample> markdownSamples(Path root, String file) {
    String text = read(root.resolve(file));
    List<Sample> samples = new ArrayList<>();
    Matcher m = README_BLOCK.matcher(text);
    while (m.find()) {
      int line = lineOf(text, m.start());
      samples.add(new Sample(file + ":" + line, m.group(1)));
    }
    return samples;
  }

  private static List<Sample> javadocSamples(Path sources) {
    List<Sample> samples = new ArrayList<>();
    for (Path file : javaFiles(sources)) {
      if (file.toString().contains("/internal/")) {
        continue;
      }
      String text = read(file);
      Matcher m = JAVADOC_BLOCK.matcher(text);
      while (m.find()) {
        String code = m.group(1).replaceAll("(?m)^\\s*\\* ?", "");
        String first = code.strip().lines().findFirst().orElse("");
        if (YAML_FIRST_LINE.matcher(first).matches()) {
          continue;
        }
        String where = sources.getParent().getParent().getParent().relativize(file).toString();
        samples.add(new Sample(where + ":" + lineOf(text, m.start()), code));
      }
    }
    return samples;
  }

  /**
   * Single-type imports of every public Meshwork type, so no star import can make one ambiguous.
   */
  private static String imports(Path root) {
    Set<String> imports = new TreeSet<>();
    for (String module : MODULES) {
      Path sources = root.resolve(module).resolve("src/main/java");
      for (Path file : javaFiles(sources)) {
        String name = file.getFileName().toString().replace(".java", "");
        if (file.toString().contains("/internal/") || name.equals("package-info")) {
          continue;
        }
        String text = read(file);
        if (!Pattern.compile("(?m)^public ").matcher(text).find()) {
          continue;
        }
        String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
        imports.add("import " + pkg + "." + name + ";");
      }
    }
    STAR_IMPORTS.forEach(p -> imports.add("import " + p + ".*;"));
    imports.add("import static org.junit.jupiter.api.Assertions.*;");
    return String.join("\n", imports);
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int lineOf(String text, int offset) {
    return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("mesh-core"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
