package dev.meshwork.reliability;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One asynchronous call of a scenario's load, tracked in a {@link CallLedger} and counted in a
 * {@link Tally}: {@code GET} or {@code POST} (a POST carries a unique id and is not marked
 * idempotent), then {@code <method> <status>}, or {@code not 200}, or {@code failed} with the kind
 * of failure.
 */
final class Load {
  static final String CALL_ID = "x-call-id";
  private static final MediaType JSON = MediaType.get("application/json");

  private Load() {}

  static void offer(
      OkHttpClient client, CallLedger ledger, Tally tally, String service, long n, boolean post) {
    String kind = post ? "POST" : "GET";
    String callId = kind + "-" + n;
    Request.Builder request =
        new Request.Builder().url("http://" + service + "/items/" + n).header(CALL_ID, callId);
    if (post) {
      request.post(RequestBody.create("{\"item\":\"" + callId + "\"}", JSON));
    }
    long id = ledger.start(kind);
    tally.add(kind);
    client
        .newCall(request.build())
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  String body = response.body().string();
                  tally.add(kind + " " + response.code());
                  if (response.code() != 200) {
                    tally.add("not 200");
                    tally.failure(
                        kind + " answered " + response.code(),
                        new IOException(
                            response.code()
                                + " "
                                + body.substring(0, Math.min(200, body.length()))));
                  }
                } catch (IOException e) {
                  tally.add("failed");
                  tally.failure(kind + " body", e);
                } finally {
                  ledger.end(id);
                }
              }

              @Override
              public void onFailure(Call call, IOException e) {
                try {
                  tally.add("failed");
                  tally.failure(kind, e);
                } finally {
                  ledger.end(id);
                }
              }
            });
  }
}
