package dev.meshwork.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Reads a mesh's admin pages with a plain OkHttp client (not through the mesh) and Jackson. */
final class AdminPages {
  static final List<String> JSON_PAGES =
      List.of("/clusters", "/config", "/certs", "/decisions", "/ready");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient http = new OkHttpClient();
  private final Mesh mesh;

  AdminPages(Mesh mesh) {
    this.mesh = mesh;
  }

  /** One answer: its status and body. */
  record Page(int status, String body) {
    JsonNode json() throws IOException {
      return MAPPER.readTree(body);
    }
  }

  Page get(String path) throws IOException {
    Request request =
        new Request.Builder().url(MeshAdmins.of(mesh).uri().resolve(path).toString()).build();
    try (Response response = http.newCall(request).execute()) {
      return new Page(response.code(), response.body().string());
    }
  }

  /** The JSON of a page that must answer 200. */
  JsonNode json(String path) throws IOException {
    Page page = get(path);
    if (page.status() != 200) {
      throw new AssertionError(path + " answered " + page.status() + ": " + page.body());
    }
    return page.json();
  }

  /** Every JSON page and the dashboard, concatenated, for checks that something appears nowhere. */
  String everything() throws IOException {
    StringBuilder all = new StringBuilder(get("/").body());
    for (String path : JSON_PAGES) {
      all.append('\n').append(get(path).body());
    }
    return all.toString();
  }

  /** The element of {@code array} whose {@code field} is {@code value}. */
  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (value.equals(node.path(field).asText())) {
        return node;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }
}
