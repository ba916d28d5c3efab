package dev.meshwork.reliability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named counters, and a few examples of each kind of failure (by exception type), for a report.
 * Examples are capped, so a long run keeps a bounded number of them.
 */
public final class Tally {
  private static final int EXAMPLES_PER_KIND = 2;
  private static final int KINDS = 20;

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Boolean>> examples = new ConcurrentHashMap<>();

  public void add(String name) {
    counters.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  public long get(String name) {
    LongAdder counter = counters.get(name);
    return counter == null ? 0 : counter.sum();
  }

  /** Counts {@code failure} under {@code prefix} and its type, keeping an example message. */
  public void failure(String prefix, Throwable failure) {
    String kind = prefix + " " + failure.getClass().getSimpleName();
    if (failureKinds.size() < KINDS || failureKinds.containsKey(kind)) {
      failureKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
      Map<String, Boolean> kept = examples.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
      if (kept.size() < EXAMPLES_PER_KIND) {
        kept.put(String.valueOf(failure.getMessage()), Boolean.TRUE);
      }
    }
  }

  /** Failures by kind, with their count and example messages. */
  public Map<String, String> failures() {
    Map<String, String> text = new TreeMap<>();
    failureKinds.forEach(
        (kind, count) ->
            text.put(
                kind, count.sum() + " e.g. " + examples.getOrDefault(kind, Map.of()).keySet()));
    return text;
  }
}
