package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** A scenario JVM's result survives the trip to the harness as one line of text. */
class ResultCodecTest {

  @Test
  void everyFieldOfAResultSurvivesEncodingAndDecoding() {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(250_000, 900);
    latency.recordValueWithCount(9_000_000, 100);
    LoadResult result =
        new LoadResult(
            1000,
            3,
            2.5,
            latency,
            Map.of("client", 0.75, "proxy", 0.25),
            new GcMeter(4, 17),
            "java.io.IOException: http://127.0.0.1:80/ answered 503 with 0 bytes",
            12_345_678,
            7,
            new long[] {0, 40, 400, 560});

    String line = ResultCodec.encode(result);
    LoadResult decoded = ResultCodec.decode(line);

    assertEquals(-1, line.indexOf('\n'), line);
    assertEquals(1000, decoded.calls());
    assertEquals(3, decoded.errors());
    assertEquals(2.5, decoded.seconds());
    assertEquals(result.latencyMicros(50), decoded.latencyMicros(50));
    assertEquals(result.latencyMicros(99), decoded.latencyMicros(99));
    assertEquals(Map.of("client", 0.75, "proxy", 0.25), decoded.cpuSeconds());
    assertEquals(new GcMeter(4, 17), decoded.gc());
    assertEquals(result.firstError(), decoded.firstError());
    assertEquals(12_345_678, decoded.allocatedBytes());
    assertEquals(7, decoded.connectionsOpened());
    assertArrayEquals(new long[] {0, 40, 400, 560}, decoded.timeline());
  }

  @Test
  void aResultWithoutErrorOrTimelineStaysWithout() {
    LoadResult result =
        new LoadResult(5, 0, 1.0, new Histogram(3), Map.of("client", 0.1), new GcMeter(0, 0), null);

    LoadResult decoded = ResultCodec.decode(ResultCodec.encode(result));

    assertNull(decoded.firstError());
    assertEquals(0, decoded.timeline().length);
    assertEquals(-1, decoded.allocatedBytes());
    assertEquals(-1, decoded.connectionsOpened());
  }
}
