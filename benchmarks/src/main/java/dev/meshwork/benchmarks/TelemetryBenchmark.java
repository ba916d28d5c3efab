package dev.meshwork.benchmarks;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What telemetry adds per call: the default pipeline around a transport that does no I/O, once
 * without telemetry and once with a no-op OpenTelemetry (no SDK installed) and a {@link
 * SimpleMeterRegistry}. The difference is the telemetry stage, the duration timer and the decision
 * hook. Target: at most 300 ns and 300 bytes per call. Run with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TelemetryBenchmark {
  private static final String[] ADDRESSES = {"10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"};

  private Mesh plain;
  private Mesh metered;
  private ServiceInvoker plainInvoker;
  private ServiceInvoker meteredInvoker;
  private final MeshRequest request = NoNetwork.GET;
  private final Exchange<Integer> noNetwork = NoNetwork.EXCHANGE;

  @Setup(Level.Trial)
  public void setUp() {
    plain = Mesh.builder().service("mathoid", s -> s.endpoints(ADDRESSES)).build();
    metered =
        Mesh.builder()
            .telemetry(
                Telemetry.builder()
                    .openTelemetry(OpenTelemetry.noop())
                    .meterRegistry(new SimpleMeterRegistry())
                    .build())
            .service("mathoid", s -> s.endpoints(ADDRESSES))
            .build();
    plainInvoker =
        MeshTransports.attach(plain, TransportContext.class, context -> context).invoker("mathoid");
    meteredInvoker =
        MeshTransports.attach(metered, TransportContext.class, context -> context)
            .invoker("mathoid");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
    metered.close();
  }

  /** Default policies, no telemetry: the baseline. */
  @Benchmark
  public Integer withoutTelemetry() throws IOException {
    return plainInvoker.invoke(request, noNetwork);
  }

  /** The same with a no-op OpenTelemetry and a simple meter registry. */
  @Benchmark
  public Integer withTelemetry() throws IOException {
    return meteredInvoker.invoke(request, noNetwork);
  }
}
