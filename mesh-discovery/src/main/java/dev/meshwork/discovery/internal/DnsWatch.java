package dev.meshwork.discovery.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Refreshes one service from DNS: asks, publishes a good answer or reports a failure, and asks
 * again after the answer's TTL bounded to [min, max] (after a failure: after min). At most one
 * query is in flight, and nothing is published once the watch is closed.
 */
public final class DnsWatch implements Watch {
  private final String source;
  private final ServiceName service;
  private final DiscoveryListener listener;
  private final ScheduledExecutorService scheduler;
  private final Supplier<CompletionStage<DnsLookup.Answer>> lookup;
  private final Duration minRefresh;
  private final Duration maxRefresh;
  private volatile ScheduledFuture<?> next;
  private volatile boolean closed;

  public DnsWatch(
      String source,
      ServiceName service,
      DiscoveryListener listener,
      ScheduledExecutorService scheduler,
      Supplier<CompletionStage<DnsLookup.Answer>> lookup,
      Duration minRefresh,
      Duration maxRefresh) {
    this.source = source;
    this.service = service;
    this.listener = listener;
    this.scheduler = scheduler;
    this.lookup = lookup;
    this.minRefresh = minRefresh;
    this.maxRefresh = maxRefresh;
    schedule(Duration.ZERO);
  }

  /** When to ask again after an answer that may be trusted for {@code ttlSeconds}. */
  public static Duration refreshAfter(long ttlSeconds, Duration min, Duration max) {
    Duration ttl =
        ttlSeconds >= max.getSeconds() ? max : Duration.ofSeconds(Math.max(0, ttlSeconds));
    return ttl.compareTo(min) < 0 ? min : ttl.compareTo(max) > 0 ? max : ttl;
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    try {
      next = scheduler.schedule(this::refresh, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException meshClosing) {
      closed = true;
    }
  }

  private void refresh() {
    if (closed) {
      return;
    }
    CompletionStage<DnsLookup.Answer> query;
    try {
      query = lookup.get();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    query.whenComplete(
        (answer, error) -> {
          if (closed) {
            return;
          }
          if (error != null) {
            fail(error);
            return;
          }
          try {
            listener.onSnapshot(EndpointSnapshot.of(service, answer.endpoints()));
          } catch (RuntimeException e) {
            fail(e);
            return;
          }
          schedule(refreshAfter(answer.ttlSeconds(), minRefresh, maxRefresh));
        });
  }

  private void fail(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String reason =
        cause instanceof DnsLookup.LookupFailed
            ? cause.getMessage()
            : cause instanceof java.io.IOException
                ? "resolver did not answer: "
                    + (cause.getMessage() == null
                        ? cause.getClass().getSimpleName()
                        : cause.getMessage())
                : cause.toString();
    listener.onError(
        new SourceFailure(source, service, reason + "; keeping the last good endpoints", cause));
    schedule(minRefresh);
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
