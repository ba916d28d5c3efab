package dev.meshwork.examples;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.discovery.FileDiscovery;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import retrofit2.Response;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * The discovery demo: restbase finds mathoid through a watched endpoints file, the way a mounted
 * ConfigMap delivers it. Three mathoid instances run; the file first lists two of them, then the
 * demo rewrites it to list only the third, and the traffic moves without a restart. With {@code
 * --watch} it then keeps calling once a second so you can edit the file yourself:
 *
 * <pre>
 * mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.meshwork.examples.FileDiscoveryDemo -Dexec.args=--watch
 * </pre>
 */
public final class FileDiscoveryDemo {
  static final int CALLS_PER_PHASE = 6;

  private FileDiscoveryDemo() {}

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempFile("mathoid-endpoints", ".yaml");
    file.toFile().deleteOnExit();
    run(System.out, file, List.of(args).contains("--watch"));
  }

  /** Runs the demo; returns, per phase, how many calls each instance served. */
  static List<Map<String, Integer>> run(PrintStream out, Path file, boolean watch)
      throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    SpiffeId restbase = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
    SpiffeId mathoidId = SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
    List<MathoidInstance> instances = new ArrayList<>();
    try (BuiltInCaSource certificates =
        BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build()) {
      for (int i = 1; i <= 3; i++) {
        instances.add(new MathoidInstance("mathoid-" + i, ca, mathoidId, restbase));
      }
      write(file, instances.get(0), instances.get(1));
      out.println("Endpoints file: " + file + " (lists mathoid-1 and mathoid-2)");
      FileDiscovery source =
          FileDiscovery.builder(file).pollInterval(Duration.ofMillis(200)).build();
      try (Mesh mesh =
          Mesh.builder()
              .security(MeshTls.builder().source(certificates).build())
              .awaitDiscovery(Duration.ofSeconds(10))
              .service(
                  "mathoid",
                  service -> service.discovery(source).loadBalancer(LoadBalancers.roundRobin()))
              .build()) {
        MathoidApi mathoid =
            MeshOkHttp.of(mesh)
                .create(
                    MathoidApi.class,
                    retrofit -> retrofit.addConverterFactory(JacksonConverterFactory.create()));
        List<Map<String, Integer>> phases = new ArrayList<>();
        phases.add(calls(out, mathoid, CALLS_PER_PHASE));

        out.println("Rewriting " + file + " to list only mathoid-3 ...");
        write(file, instances.get(2));
        String third = instances.get(2).address();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!mesh.endpoints("mathoid").stream().allMatch(e -> e.address().equals(third))) {
          if (System.nanoTime() > deadline) {
            throw new IOException(
                "the mesh did not pick up the new file: " + mesh.discoveryHealth("mathoid"));
          }
          Thread.sleep(20);
        }
        out.println(
            "The mesh now uses " + mesh.endpoints("mathoid") + "; no restart, no failed call.");
        phases.add(calls(out, mathoid, CALLS_PER_PHASE));
        if (watch) {
          out.println(
              "Watching: edit "
                  + file
                  + " (addresses: "
                  + addresses(instances)
                  + "), Ctrl-C to stop.");
          while (!Thread.currentThread().isInterrupted()) {
            calls(out, mathoid, 1);
            Thread.sleep(1000);
          }
        }
        return phases;
      }
    } finally {
      instances.forEach(MathoidInstance::close);
    }
  }

  private static Map<String, Integer> calls(PrintStream out, MathoidApi mathoid, int count)
      throws IOException {
    Map<String, Integer> servedBy = new TreeMap<>();
    for (int call = 1; call <= count; call++) {
      Response<MathoidApi.Rendered> response =
          mathoid.render(new MathoidApi.Formula("x^" + call)).execute();
      if (!response.isSuccessful() || response.body() == null) {
        throw new IOException("mathoid answered " + response.code());
      }
      servedBy.merge(response.body().instance(), 1, Integer::sum);
      out.println("restbase -> http://mathoid/render/svg  served by " + response.body().instance());
    }
    return servedBy;
  }

  private static String addresses(List<MathoidInstance> instances) {
    StringBuilder text = new StringBuilder();
    for (MathoidInstance instance : instances) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(instance.name())
          .append('=')
          .append(instance.address());
    }
    return text.toString();
  }

  /**
   * Replaces the file atomically, as a ConfigMap volume does, so the mesh never reads half of it.
   */
  private static void write(Path file, MathoidInstance... listed) throws IOException {
    StringBuilder yaml = new StringBuilder("services:\n  mathoid:\n");
    for (MathoidInstance instance : listed) {
      yaml.append("    - address: ")
          .append(instance.address())
          .append("  # ")
          .append(instance.name())
          .append('\n');
    }
    Path next = Files.createTempFile(file.toAbsolutePath().getParent(), ".endpoints", ".tmp");
    Files.writeString(next, yaml);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
