package dev.meshwork.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Calls through a test mesh's client, as the code under test would. */
final class Calls {
  private Calls() {}

  /** The status of a GET of {@code url}. */
  static int get(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code();
    }
  }

  /** Who answered a GET of {@code url}: the fake instance's name, or the failure. */
  static String servedBy(OkHttpClient client, String url) {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      String who = response.header("x-fake-endpoint");
      return response.code() == 200 ? who : who + " " + response.code();
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  /** {@link #get}, for lambdas that cannot throw. */
  static int status(OkHttpClient client, String url) {
    try {
      return get(client, url);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
