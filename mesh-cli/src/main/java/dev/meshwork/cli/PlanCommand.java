package dev.meshwork.cli;

import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.ConfigPlan;
import dev.meshwork.config.MeshConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code config plan}: what applying a document would change, against the running mesh (read from
 * its admin endpoint) or another file, in the document's terms, with the candidate's lint findings.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Show what applying the candidate would change: services, routes, split weights, endpoints"
          + " and every policy setting, defaults merged, then the candidate's lint findings.",
      "Exit codes (as kapp --diff-exit-status): 0 no changes, 3 changes, 1 error (a document"
          + " refused, the admin endpoint unreachable), 2 wrong command line."
    })
final class PlanCommand implements Callable<Integer> {
  /** The admin endpoint's page with the effective document. */
  static final String DOCUMENT_PAGE = "/config/document.json";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Option(
      names = "--against",
      required = true,
      paramLabel = "URL|FILE",
      description =
          "What is in force: a running mesh's admin endpoint (http://127.0.0.1:9901, read at "
              + DOCUMENT_PAGE
              + " unless the URL names a page) or a mesh document.")
  String against;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "The candidate: mesh documents merged in order (a base, then its overrides);"
              + " Kubernetes manifests among them are imported.")
  List<Path> files;

  @Option(names = "--strict", description = ConfigCommand.STRICT)
  boolean strict;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    MeshConfig current = current(err);
    if (current == null) {
      return 1;
    }
    MeshConfig candidate = ConfigCommand.load(files, strict, err);
    if (candidate == null) {
      return 1;
    }
    ConfigPlan plan = MeshConfig.plan(current, candidate);
    PrintWriter out = spec.commandLine().getOut();
    out.print(plan);
    out.flush();
    return plan.hasChanges() ? Meshwork.CHANGES : 0;
  }

  private MeshConfig current(PrintWriter err) {
    String lower = against.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return ConfigCommand.load(List.of(Path.of(against)), strict, err);
    }
    URI uri = documentUri(against);
    String body;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(TIMEOUT)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        err.println(
            "meshwork: "
                + uri
                + " answered "
                + response.statusCode()
                + ": "
                + shorten(response.body())
                + "; expected the mesh's effective document (mesh-admin with mesh-config on the"
                + " class path serves it)");
        return null;
      }
      body = response.body();
    } catch (IOException e) {
      err.println("meshwork: cannot read the running mesh's document from " + uri + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("meshwork: interrupted while reading " + uri);
      return null;
    }
    try {
      return MeshConfig.parse(body, uri.toString());
    } catch (ConfigDocumentException e) {
      e.problems().forEach(err::println);
      err.println("meshwork: the running mesh's document from " + uri + " does not load");
      return null;
    }
  }

  /** {@code base} itself when it names a page, else the admin endpoint's document page. */
  private URI documentUri(String base) {
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--against '" + base + "' is not a URL (" + e.getMessage() + ")");
    }
    String path = uri.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return uri.resolve(DOCUMENT_PAGE);
    }
    return uri;
  }

  private static String shorten(String text) {
    String line = text.strip().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }
}
