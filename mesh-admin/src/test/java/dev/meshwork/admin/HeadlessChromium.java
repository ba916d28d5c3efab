package dev.meshwork.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.okhttp.Backends;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, driven as a process without Selenium: {@link #dumpDom} loads a page, lets its
 * timers run for a budget of virtual time and returns the DOM; {@link #open} keeps a page open and
 * evaluates JavaScript in it through the DevTools protocol, so a test can watch the page update
 * itself. Runs with {@code --no-sandbox} (CI runs as root) and a throwaway profile directory.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private WebSocket socket;

  private HeadlessChromium(Process process) {
    this.process = process;
  }

  /** The Chromium binary, if this machine has one. */
  static Optional<Path> binary() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static List<String> command(Path profile, String... more) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary().orElseThrow().toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + profile));
    command.addAll(List.of(more));
    return command;
  }

  /**
   * Loads {@code page}, runs its timers for {@code virtualTime} (no real waiting), and returns the
   * DOM.
   */
  static String dumpDom(Path profile, URI page, Duration virtualTime)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(profile.getParent(), "dom", ".html");
    Process process =
        new ProcessBuilder(
                command(
                    profile,
                    "--dump-dom",
                    "--virtual-time-budget=" + virtualTime.toMillis(),
                    page.toString()))
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      kill(process);
      throw new AssertionError("chromium --dump-dom did not finish within " + PROCESS_TIMEOUT);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** Opens {@code page} in a headless Chromium reachable through the DevTools protocol. */
  static HeadlessChromium open(Path profile, URI page) throws Exception {
    Process process =
        new ProcessBuilder(command(profile, "--remote-debugging-port=0", page.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      // Chromium writes the port it chose to DevToolsActivePort once it listens.
      Path portFile = profile.resolve("DevToolsActivePort");
      Backends.await(
          () -> Files.isReadable(portFile) && lines(portFile).size() >= 2,
          PROCESS_TIMEOUT,
          () -> "chromium never wrote " + portFile);
      int port = Integer.parseInt(lines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String[] debuggerUrl = new String[1];
      Backends.await(
          () -> (debuggerUrl[0] = pageTarget(http, port, page)) != null,
          PROCESS_TIMEOUT,
          () -> "chromium has no page target for " + page);
      HeadlessChromium chromium = new HeadlessChromium(process);
      chromium.socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(debuggerUrl[0]), chromium.listener())
              .get(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return chromium;
    } catch (Exception | AssertionError e) {
      kill(process);
      throw e;
    }
  }

  /**
   * Evaluates {@code expression} in the page and returns its value as text ("undefined" when it has
   * none).
   */
  String evaluate(String expression) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String message =
        MAPPER.writeValueAsString(
            Map.of(
                "id",
                id,
                "method",
                "Runtime.evaluate",
                "params",
                Map.of("expression", expression, "returnByValue", true)));
    socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    JsonNode result = answer.get(10, TimeUnit.SECONDS).path("result").path("result");
    return result.has("value") ? result.get("value").asText() : "undefined";
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          try {
            JsonNode message = MAPPER.readTree(text.toString());
            CompletableFuture<JsonNode> waiting =
                message.has("id") ? pending.remove(message.get("id").asInt()) : null;
            if (waiting != null) {
              waiting.complete(message);
            }
          } catch (IOException e) {
            // Not a message we asked for; events are ignored.
          }
          text.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    };
  }

  private static String pageTarget(HttpClient http, int port, URI page) {
    try {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : MAPPER.readTree(list.body())) {
        if ("page".equals(target.path("type").asText())
            && target.path("url").asText().startsWith(page.toString())) {
          return target.get("webSocketDebuggerUrl").asText();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (socket != null) {
      socket.abort();
    }
    kill(process);
  }
}
