package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import java.io.IOException;
import java.net.InetAddress;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** Hedged attempts as their own OkHttp calls, stopped when the pipeline cancels them. */
class HedgedSenderTest {

  /** A hedged attempt with no deadline. */
  private static final class Attempt implements AttemptContext {
    @Override
    public ServiceName service() {
      return ServiceName.of("mathoid");
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public long connectTimeoutNanos() {
      return 5_000_000_000L;
    }

    @Override
    public long timeoutNanos() {
      return Long.MAX_VALUE;
    }

    @Override
    public long deadlineRemainingNanos() {
      return Long.MAX_VALUE;
    }

    @Override
    public boolean hedged() {
      return true;
    }

    @Override
    public boolean propagateDeadline() {
      return false;
    }
  }

  /**
   * The race may settle, and cancel the losing attempt, after its runner passed the race's check
   * but before its OkHttp call exists; the call is then cancelled as soon as it does, never sent.
   */
  @Test
  void anAttemptCancelledBeforeItsCallExistsIsNeverSent() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      server.enqueue(new MockResponse.Builder().body("late").build());
      HedgedSender sender = new HedgedSender(new OkHttpClient(), null);
      Attempt attempt = new Attempt();
      sender.cancel(attempt);
      Request request = new Request.Builder().url(server.url("/render")).build();
      assertThrows(IOException.class, () -> sender.send(request, attempt).close());
      assertEquals(0, server.getRequestCount(), "the cancelled attempt reached the server");
    }
  }
}
