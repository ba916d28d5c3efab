package dev.meshwork.examples;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import retrofit2.Response;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * The first Meshwork demo: {@code restbase} renders formulas by calling {@code mathoid} through
 * the mesh. Three mathoid instances run locally; the mesh knows them from a static list and
 * spreads the calls over them. Run it with {@code mvn -q -pl examples -am compile exec:java}.
 */
public final class RestbaseDemo {
  static final int CALLS = 12;

  private RestbaseDemo() {
  }

  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** Runs the demo, printing to {@code out}; returns how many calls each instance served. */
  static Map<String, Integer> run(PrintStream out) throws IOException {
    List<MathoidInstance> instances = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        instances.add(new MathoidInstance("mathoid-" + i));
      }
      String[] addresses = instances.stream().map(MathoidInstance::address).toArray(String[]::new);
      out.println("Started " + instances.size() + " mathoid instances: " + String.join(", ", addresses));

      try (Mesh mesh = Mesh.builder()
          .service("mathoid", service -> service
              .endpoints(addresses)
              // Round robin makes the spread easy to read; the default is least-request (P2C).
              .loadBalancer(LoadBalancers.roundRobin()))
          .build()) {
        MathoidApi mathoid = MeshOkHttp.of(mesh)
            .create(MathoidApi.class, retrofit -> retrofit.addConverterFactory(JacksonConverterFactory.create()));

        Map<String, Integer> servedBy = new TreeMap<>();
        for (int call = 1; call <= CALLS; call++) {
          Response<MathoidApi.Rendered> response = mathoid.render(new MathoidApi.Formula("E = mc^" + call)).execute();
          if (!response.isSuccessful() || response.body() == null) {
            throw new IOException("mathoid answered " + response.code() + " to call " + call);
          }
          String instance = response.body().instance();
          servedBy.merge(instance, 1, Integer::sum);
          out.printf("restbase -> http://mathoid/render/svg  call %2d served by %s at %s%n",
              call, instance, response.raw().request().url().host() + ":" + response.raw().request().url().port());
        }

        out.println();
        out.println("Distribution over " + CALLS + " calls (round robin):");
        servedBy.forEach((instance, count) ->
            out.printf("  %-10s %3d  %s%n", instance, count, "#".repeat(count)));
        return servedBy;
      }
    } finally {
      instances.forEach(MathoidInstance::close);
    }
  }
}
