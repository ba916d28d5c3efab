package dev.meshwork.okhttp.internal;

import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the attempts of a hedged call, and mirrored copies. An OkHttp interceptor chain can run
 * only one attempt at a time, so each hedged attempt is its own call on the mesh's pool and
 * dispatcher (with the service's TLS and the attempt's timeouts), which the pipeline can cancel
 * when another attempt wins. Such attempts skip the application's network interceptors; calls that
 * are not hedged go through them as usual.
 */
final class HedgedSender {
  private final OkHttpClient direct;
  private final TlsDial tls;
  private final Map<AttemptContext, Call> inFlight = new ConcurrentHashMap<>();

  /**
   * Attempts the pipeline cancelled, kept for the one whose cancel came before its call existed.
   */
  private final Set<AttemptContext> cancelled = ConcurrentHashMap.newKeySet();

  HedgedSender(OkHttpClient direct, TlsDial tls) {
    this.direct = direct;
    this.tls = tls;
  }

  Response send(Request physical, AttemptContext attempt) throws IOException {
    Call call = detachedCall(physical, attempt.connectTimeoutNanos(), attempt.timeoutNanos());
    inFlight.put(attempt, call);
    if (cancelled.contains(attempt)) {
      call.cancel();
    }
    try {
      return call.execute();
    } finally {
      inFlight.remove(attempt);
    }
  }

  /**
   * A call on the mesh's pool outside the interceptor chain, with the service's TLS and these
   * bounds; {@code timeoutNanos} of {@link Long#MAX_VALUE} leaves reads and writes unbounded.
   */
  Call detachedCall(Request physical, long connectTimeoutNanos, long timeoutNanos) {
    OkHttpClient.Builder client =
        direct.newBuilder().connectTimeout(millis(connectTimeoutNanos), TimeUnit.MILLISECONDS);
    if (timeoutNanos != Long.MAX_VALUE) {
      client
          .readTimeout(millis(timeoutNanos), TimeUnit.MILLISECONDS)
          .writeTimeout(millis(timeoutNanos), TimeUnit.MILLISECONDS);
    }
    if (tls != null) {
      tls.applyTo(client);
    }
    return client.build().newCall(physical);
  }

  void cancel(AttemptContext attempt) {
    cancelled.add(attempt);
    Call call = inFlight.get(attempt);
    if (call != null) {
      call.cancel();
    }
  }

  private static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
  }
}
