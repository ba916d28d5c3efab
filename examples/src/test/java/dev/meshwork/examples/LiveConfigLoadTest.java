package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.admin.AdminOptions;
import dev.meshwork.admin.MeshAdmin;
import dev.meshwork.config.LiveConfig;
import dev.meshwork.config.MeshConfigSource;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched file drives a running mesh under load: each swap moves a route between two real
 * backends, and the callers never see a failure.
 */
class LiveConfigLoadTest {
  private static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";
  private static final int SWAPS = 100;

  private final List<HttpServer> backends = new ArrayList<>();

  @AfterEach
  void stopBackends() {
    backends.forEach(server -> server.stop(0));
  }

  @Test
  void hundredFileSwapsUnderLoadFailNoCallAndEachShowsFromTheNextCall(@TempDir Path dir)
      throws Exception {
    int blue = backend("blue");
    int green = backend("green");
    Path file = dir.resolve("mesh.yaml");
    swap(file, document(0, "blue", blue, green));
    ScheduledExecutorService callers = Executors.newScheduledThreadPool(4);
    try (Mesh mesh = Mesh.builder().build();
        LiveConfig live =
            LiveConfig.watch(mesh, Duration.ofMillis(5), MeshConfigSource.file(file))) {
      assertEquals("swap-0", mesh.configStatus().version());
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      AtomicInteger calls = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      // 4 callers, one call each every 20 ms: 200 calls/s in all.
      for (int caller = 0; caller < 4; caller++) {
        callers.scheduleAtFixedRate(
            () -> {
              try {
                call(client);
                calls.incrementAndGet();
              } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
              }
            },
            caller * 5L,
            20,
            TimeUnit.MILLISECONDS);
      }
      for (int i = 1; i <= SWAPS; i++) {
        String target = i % 2 == 0 ? "blue" : "green";
        String version = "swap-" + i;
        swap(file, document(i, target, blue, green));
        await(() -> mesh.configStatus().version().equals(version), version);
        assertEquals(target, call(client), "the first call after " + version + " applied");
      }
      await(() -> calls.get() >= 200, "200 calls under load");
      callers.shutdown();
      assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
      assertEquals(List.of(), failures, calls.get() + " calls");
      assertEquals(SWAPS + 2, mesh.configStatus().generation(), "one apply per swap");
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aBadFileKeepsTheLastGoodAndTheAdminEndpointShowsTheError(@TempDir Path dir)
      throws Exception {
    int blue = backend("blue");
    int green = backend("green");
    Path file = dir.resolve("mesh.yaml");
    swap(file, document(1, "blue", blue, green));
    try (Mesh mesh = Mesh.builder().build();
        LiveConfig live =
            LiveConfig.watch(mesh, Duration.ofMillis(5), MeshConfigSource.file(file))) {
      MeshAdmin admin = MeshAdmin.start(mesh, AdminOptions.builder().port(0).build());
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      swap(file, document(2, "purple", blue, green));
      await(() -> mesh.configStatus().lastError().isPresent(), "the bad document refused");
      assertEquals("swap-1", mesh.configStatus().version());
      assertEquals("blue", call(client), "the last good routes on");
      try (Response page =
          new OkHttpClient()
              .newCall(new Request.Builder().url(admin.uri().resolve("/config").toString()).build())
              .execute()) {
        String json = page.body().string();
        assertTrue(
            json.contains("\"version\" : \"swap-1\"") || json.contains("\"version\":\"swap-1\""),
            json);
        assertTrue(json.contains(file + ":"), json);
        assertTrue(json.contains("services.mathoid.routes[0].split[0].subset"), json);
      }
    }
  }

  /** A route sending every call of mathoid to one of its two backends. */
  private static String document(int swap, String target, int blue, int green) {
    return HEAD
        + "metadata: {version: swap-"
        + swap
        + "}\nservices:\n  mathoid:\n    discovery:\n      static:\n"
        + "        - {address: \"127.0.0.1:"
        + blue
        + "\", labels: {color: blue}}\n        - {address: \"127.0.0.1:"
        + green
        + "\", labels: {color: green}}\n"
        + "    subsets: {blue: {color: blue}, green: {color: green}}\n"
        + "    routes:\n      - name: all\n        split: [{subset: "
        + target
        + ", weight: 100}]\n";
  }

  /** Replaces {@code file} atomically, as editors and config tools do. */
  private static void swap(Path file, String content) throws IOException {
    Path next = Files.createTempFile(file.getParent(), ".mesh", ".tmp");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String call(OkHttpClient client) throws IOException {
    try (Response response =
        client.newCall(new Request.Builder().url("http://mathoid/color").build()).execute()) {
      if (response.code() != 200) {
        throw new IOException("mathoid answered " + response.code());
      }
      return response.body().string();
    }
  }

  private int backend(String color) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = color.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    backends.add(server);
    return server.getAddress().getPort();
  }

  /** Waits for {@code condition}, checking every millisecond, for at most 20 s. */
  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within 20 s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
