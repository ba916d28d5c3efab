package dev.meshwork.okhttp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/** Enqueues a call that is expected to fail; the future holds its failure. */
final class AsyncFailure {
  private AsyncFailure() {}

  static CompletableFuture<IOException> of(Call call) {
    CompletableFuture<IOException> failed = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            failed.complete(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            response.close();
            failed.completeExceptionally(
                new AssertionError("expected a failure, got HTTP " + response.code()));
          }
        });
    return failed;
  }
}
