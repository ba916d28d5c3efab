package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A digest of one scenario JVM's flight recording, for comparing scenarios (say S2 and S4) on
 * measures that do not depend on a quiet machine: where CPU samples land (top frames, and the share
 * with a frame of each library on the stack), which allocation sites weigh most, contended monitors
 * and parked threads by class and call site, and garbage collections. Events of the first {@code
 * --skip} seconds (JVM start and warm-up) are left out.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshwork.benchmarks.load.JfrDigest FILE.jfr [--skip SECONDS] [--top N]
 * </pre>
 */
public final class JfrDigest {
  private static final List<String> LIBRARIES =
      List.of(
          "dev.meshwork.",
          "okhttp3.",
          "okio.",
          "io.github.resilience4j.",
          "sun.security.ssl.",
          "sun.nio.ch.",
          "java.net.",
          "dev.meshwork.benchmarks.");

  /** Owners of CPU samples, most specific first. */
  private static final List<String> OWNERS =
      List.of(
          "dev.meshwork.benchmarks.",
          "dev.meshwork.okhttp.",
          "dev.meshwork.core.",
          "dev.meshwork.tls.",
          "dev.meshwork.",
          "okhttp3.",
          "okio.",
          "io.github.resilience4j.",
          "org.HdrHistogram.");

  private final Map<String, Long> cpuTop = new HashMap<>();
  private final Map<String, Long> cpuLibrary = new HashMap<>();
  private final Map<String, Long> cpuOwner = new HashMap<>();
  private final Map<String, Long> cpuOwnerFrame = new HashMap<>();
  private final Map<String, Long> allocationWeight = new HashMap<>();
  private final Map<String, long[]> monitors = new HashMap<>();
  private final Map<String, long[]> parks = new HashMap<>();
  private RecordedEvent jitAtSkip;
  private RecordedEvent jitAtEnd;
  private long cpuSamples;
  private long allocatedWeight;
  private long gcCount;
  private Duration gcPause = Duration.ZERO;
  private Instant first;
  private Instant last;

  private JfrDigest() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: JfrDigest FILE.jfr [--skip SECONDS] [--top N]");
      System.exit(2);
    }
    double skip = 0;
    int top = 15;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--skip" -> skip = Double.parseDouble(args[i + 1]);
        case "--top" -> top = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path file = Path.of(args[0]);
    JfrDigest digest = new JfrDigest();
    Instant start = null;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      start = start == null || event.getStartTime().isBefore(start) ? event.getStartTime() : start;
    }
    Instant from = start == null ? Instant.MIN : start.plusMillis((long) (skip * 1000));
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (event.getEventType().getName().equals("jdk.CompilerStatistics")) {
          digest.jit(event, from);
        } else if (!event.getStartTime().isBefore(from)) {
          digest.add(event);
        }
      }
    }
    System.out.print(digest.text(file, skip, top));
  }

  private void add(RecordedEvent event) {
    first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
    last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> {
        cpuSamples++;
        RecordedStackTrace stack = event.getStackTrace();
        if (stack != null && !stack.getFrames().isEmpty()) {
          cpuTop.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
          cpuOwner.merge(owner(stack), 1L, Long::sum);
          cpuOwnerFrame.merge(site(stack), 1L, Long::sum);
          for (String library : LIBRARIES) {
            if (stack.getFrames().stream().anyMatch(in(library))) {
              cpuLibrary.merge(library, 1L, Long::sum);
            }
          }
        }
      }
      case "jdk.ObjectAllocationSample" -> {
        long weight = event.getLong("weight");
        allocatedWeight += weight;
        allocationWeight.merge(
            event.getClass("objectClass").getName() + " at " + site(event.getStackTrace()),
            weight,
            Long::sum);
      }
      case "jdk.JavaMonitorEnter" ->
          count(
              monitors,
              event.getClass("monitorClass").getName() + " at " + site(event.getStackTrace()),
              event.getDuration());
      case "jdk.ThreadPark" -> {
        String parked =
            event.getClass("parkedClass") == null ? "?" : event.getClass("parkedClass").getName();
        count(parks, parked + " at " + site(event.getStackTrace()), event.getDuration());
      }
      case "jdk.GarbageCollection" -> {
        gcCount++;
        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
      }
      default -> {
        // Other events are not digested.
      }
    }
  }

  /**
   * Keeps the JIT's cumulative statistics as of the end of the skipped part and of the recording.
   */
  private void jit(RecordedEvent statistics, Instant from) {
    Instant at = statistics.getStartTime();
    if (!at.isAfter(from) && (jitAtSkip == null || at.isAfter(jitAtSkip.getStartTime()))) {
      jitAtSkip = statistics;
    }
    if (jitAtEnd == null || at.isAfter(jitAtEnd.getStartTime())) {
      jitAtEnd = statistics;
    }
  }

  private static String jitText(RecordedEvent statistics) {
    return statistics == null
        ? "no statistics"
        : String.format(
            Locale.ROOT,
            "%,d compilations, %.1f s compiling, %,d KB of code",
            statistics.getInt("compileCount"),
            statistics.getLong("totalTimeSpent") / 1000.0,
            statistics.getLong("nmethodCodeSize") >> 10);
  }

  private static void count(Map<String, long[]> into, String key, Duration duration) {
    long[] counts = into.computeIfAbsent(key, k -> new long[2]);
    counts[0]++;
    counts[1] += duration.toNanos();
  }

  private static Predicate<RecordedFrame> in(String library) {
    return frame ->
        frame.getMethod() != null
            && frame.getMethod().getType().getName().startsWith(library)
            && (library.equals("dev.meshwork.benchmarks.")
                || !frame.getMethod().getType().getName().startsWith("dev.meshwork.benchmarks."));
  }

  /**
   * The library whose code is running, the JDK's and Kotlin's code counted to the library that
   * called it: with the mesh's own, the part of a call's CPU the mesh adds.
   */
  private static String owner(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
      if (!isPlatform(type)) {
        for (String library : OWNERS) {
          if (type.startsWith(library)) {
            return library;
          }
        }
        return "other: " + type;
      }
    }
    return "JDK only (GC, JIT, threads)";
  }

  private static boolean isPlatform(String type) {
    return type.startsWith("java.")
        || type.startsWith("javax.")
        || type.startsWith("jdk.")
        || type.startsWith("sun.")
        || type.startsWith("com.sun.")
        || type.startsWith("kotlin.");
  }

  /** The first frame outside the JDK and Kotlin (who asked), else the top frame. */
  private static String site(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return "?";
    }
    for (RecordedFrame frame : stack.getFrames()) {
      String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
      if (!isPlatform(type)) {
        return frame(frame);
      }
    }
    return frame(stack.getFrames().get(0));
  }

  private static String frame(RecordedFrame frame) {
    return frame.getMethod() == null
        ? "?"
        : frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private String text(Path file, double skip, int top) {
    StringBuilder out = new StringBuilder();
    double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
    out.append(
        String.format(
            Locale.ROOT,
            "%s: %.1f s digested (after skipping %.1f s)%n",
            file.getFileName(),
            seconds,
            skip));
    out.append(
        String.format(
            Locale.ROOT, "GC: %d collections, %d ms paused in all%n", gcCount, gcPause.toMillis()));
    out.append("JIT by the end of the skipped part: ")
        .append(jitText(jitAtSkip))
        .append("\nJIT by the end of the recording:   ")
        .append(jitText(jitAtEnd))
        .append('\n');
    out.append(String.format(Locale.ROOT, "%nCPU samples: %d; with a frame of%n", cpuSamples));
    for (String library : LIBRARIES) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-28s %5.1f%%%n",
              library,
              100.0 * cpuLibrary.getOrDefault(library, 0L) / Math.max(1, cpuSamples)));
    }
    out.append("Running code by owner (JDK and Kotlin frames counted to their caller):\n");
    topOf(cpuOwner, top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s%n",
                        100.0 * e.getValue() / Math.max(1, cpuSamples),
                        e.getKey())));
    out.append("Running code by first frame outside the JDK and Kotlin:\n");
    topOf(cpuOwnerFrame, top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s%n",
                        100.0 * e.getValue() / Math.max(1, cpuSamples),
                        e.getKey())));
    out.append("Top frames (self):\n");
    topOf(cpuTop, top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s%n",
                        100.0 * e.getValue() / Math.max(1, cpuSamples),
                        e.getKey())));
    out.append(
        String.format(
            Locale.ROOT,
            "%nAllocation (sampled weight): %,d MB; by class and first non-JDK frame%n",
            allocatedWeight >> 20));
    topOf(allocationWeight, top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s%n",
                        100.0 * e.getValue() / Math.max(1, allocatedWeight),
                        e.getKey())));
    appendBlocking(out, "Contended monitor enters", monitors, top);
    appendBlocking(out, "Thread parks", parks, top);
    return out.toString();
  }

  private static void appendBlocking(
      StringBuilder out, String title, Map<String, long[]> events, int top) {
    long count = events.values().stream().mapToLong(c -> c[0]).sum();
    long nanos = events.values().stream().mapToLong(c -> c[1]).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%s (over the recording's threshold): %,d, %,d ms in all%n",
            title,
            count,
            nanos / 1_000_000));
    events.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %,8d  %,8d ms  %s%n",
                        e.getValue()[0],
                        e.getValue()[1] / 1_000_000,
                        e.getKey())));
  }

  private static List<Map.Entry<String, Long>> topOf(Map<String, Long> counts, int top) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .toList();
  }
}
