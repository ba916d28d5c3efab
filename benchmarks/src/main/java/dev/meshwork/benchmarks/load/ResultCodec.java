package dev.meshwork.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A {@link LoadResult} as one line of text, the way a scenario's JVM hands it to the harness:
 * space-separated {@code key=value} fields, the latency histogram compressed and in Base64.
 */
final class ResultCodec {
  private ResultCodec() {}

  static String encode(LoadResult result) {
    ByteBuffer histogram = ByteBuffer.allocate(result.latencyNanos().getNeededByteBufferCapacity());
    int length = result.latencyNanos().encodeIntoCompressedByteBuffer(histogram);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("calls", Long.toString(result.calls()));
    fields.put("errors", Long.toString(result.errors()));
    fields.put("seconds", Double.toString(result.seconds()));
    fields.put(
        "cpu",
        result.cpuSeconds().entrySet().stream()
            .map(e -> e.getKey() + ":" + e.getValue())
            .collect(Collectors.joining(",")));
    fields.put("gcCollections", Long.toString(result.gc().collections()));
    fields.put("gcMillis", Long.toString(result.gc().millis()));
    fields.put("allocated", Long.toString(result.allocatedBytes()));
    fields.put("connections", Long.toString(result.connectionsOpened()));
    fields.put(
        "timeline",
        Arrays.stream(result.timeline()).mapToObj(Long::toString).collect(Collectors.joining(",")));
    fields.put(
        "histogram", Base64.getEncoder().encodeToString(Arrays.copyOf(histogram.array(), length)));
    if (result.firstError() != null) {
      fields.put(
          "firstError",
          Base64.getEncoder().encodeToString(result.firstError().getBytes(StandardCharsets.UTF_8)));
    }
    return fields.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  static LoadResult decode(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.trim().split(" ")) {
      int equals = field.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "result field '" + field + "' in '" + line + "'; expected key=value");
      }
      fields.put(field.substring(0, equals), field.substring(equals + 1));
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (String role : field(fields, "cpu").split(",")) {
      if (!role.isEmpty()) {
        int colon = role.lastIndexOf(':');
        cpu.put(role.substring(0, colon), Double.parseDouble(role.substring(colon + 1)));
      }
    }
    String timeline = field(fields, "timeline");
    Histogram histogram;
    try {
      histogram =
          Histogram.decodeFromCompressedByteBuffer(
              ByteBuffer.wrap(Base64.getDecoder().decode(field(fields, "histogram"))), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("result histogram: not a compressed HdrHistogram", e);
    }
    String error = fields.get("firstError");
    return new LoadResult(
        Long.parseLong(field(fields, "calls")),
        Long.parseLong(field(fields, "errors")),
        Double.parseDouble(field(fields, "seconds")),
        histogram,
        cpu,
        new GcMeter(
            Long.parseLong(field(fields, "gcCollections")),
            Long.parseLong(field(fields, "gcMillis"))),
        error == null
            ? null
            : new String(Base64.getDecoder().decode(error), StandardCharsets.UTF_8),
        Long.parseLong(field(fields, "allocated")),
        Long.parseLong(field(fields, "connections")),
        timeline.isEmpty()
            ? new long[0]
            : Arrays.stream(timeline.split(",")).mapToLong(Long::parseLong).toArray());
  }

  private static String field(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "result has no '" + key + "' field (has " + fields.keySet() + ")");
    }
    return value;
  }
}
