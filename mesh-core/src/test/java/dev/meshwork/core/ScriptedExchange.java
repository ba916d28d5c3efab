package dev.meshwork.core;

import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A no-network transport whose answers a test scripts per attempt: a status, or an I/O failure. It
 * records every attempt (endpoint and the attempt's bounds) so tests assert what the pipeline did.
 * mesh-core has no HTTP client; the real transport is exercised against real servers in
 * mesh-okhttp.
 */
public final class ScriptedExchange implements Exchange<Integer> {
  /** Decides one attempt's fate. */
  @FunctionalInterface
  public interface Reply {
    int answer(Endpoint endpoint, AttemptContext attempt) throws IOException;
  }

  public final List<Endpoint> sentTo = new CopyOnWriteArrayList<>();
  public final List<Long> timeouts = new CopyOnWriteArrayList<>();
  public final List<Integer> discarded = new CopyOnWriteArrayList<>();

  /** What {@link #callerCancelled()} answers: set it to play a caller that cancelled its call. */
  public volatile boolean callerCancelled;

  private final Reply reply;
  private final Map<Integer, String> retryAfterByStatus = new ConcurrentHashMap<>();

  public ScriptedExchange(Reply reply) {
    this.reply = reply;
  }

  /** Every attempt answers {@code status}. */
  public static ScriptedExchange always(int status) {
    return new ScriptedExchange((endpoint, attempt) -> status);
  }

  /** Responses with {@code status} carry {@code Retry-After: value}. */
  public ScriptedExchange retryAfter(int status, String value) {
    retryAfterByStatus.put(status, value);
    return this;
  }

  @Override
  public Integer send(Endpoint endpoint, AttemptContext attempt) throws IOException {
    sentTo.add(endpoint);
    timeouts.add(attempt.timeoutNanos());
    return reply.answer(endpoint, attempt);
  }

  @Override
  public boolean callerCancelled() {
    return callerCancelled;
  }

  @Override
  public int status(Integer response) {
    return response;
  }

  @Override
  public String header(Integer response, String name) {
    return "Retry-After".equalsIgnoreCase(name) ? retryAfterByStatus.get(response) : null;
  }

  /** An injected abort answers with its status; {@link #sentTo} shows no backend saw it. */
  @Override
  public Integer injectedResponse(int status, String reason) {
    return status;
  }

  @Override
  public void discard(Integer response) {
    discarded.add(response);
  }
}
