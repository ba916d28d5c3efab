package dev.meshwork.benchmarks.spring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the meshwork starter adds to a Spring Boot application's start: the same application with
 * the starter's auto-configuration (two services from {@code meshwork.*} properties) and without it
 * (excluded), each started in a fresh JVM, alternating, so class loading and JIT count as they do
 * for a real start. Prints the median context start of each and the difference; no judgement.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/benchmarks.jar" dev.meshwork.benchmarks.spring.SpringStartupCost 15
 * </pre>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringStartupCost {
  private static final String EXCLUDE =
      "--spring.autoconfigure.exclude=dev.meshwork.spring.MeshworkAutoConfiguration";

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--once")) {
      once(args[1].equals("with"));
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<Long> with = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      without.add(fork("without"));
      with.add(fork("with"));
    }
    long medianWith = median(with);
    long medianWithout = median(without);
    System.out.printf(
        "context start, median of %d fresh JVMs each: with the starter %d ms, without %d ms,"
            + " difference %d ms%n  with: %s%n  without: %s%n",
        rounds, medianWith, medianWithout, medianWith - medianWithout, with, without);
  }

  private static void once(boolean withStarter) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--meshwork.services.mathoid.discovery.static[0]=127.0.0.1:10044 version=v1");
    arguments.add("--meshwork.services.mathoid.discovery.static[1]=127.0.0.1:10045 version=v2");
    arguments.add("--meshwork.services.mathoid.timeouts.overall=2s");
    arguments.add("--meshwork.services.citoid.discovery.static[0]=127.0.0.1:1970");
    arguments.add("--spring.main.banner-mode=off");
    arguments.add("--logging.level.root=warn");
    if (!withStarter) {
      arguments.add(EXCLUDE);
    }
    long start = System.nanoTime();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(SpringStartupCost.class)
            .web(WebApplicationType.NONE)
            .properties(Map.of())
            .run(arguments.toArray(String[]::new));
    long millis = (System.nanoTime() - start) / 1_000_000;
    context.close();
    System.out.println("startup-millis=" + millis);
  }

  private static long fork(String variant) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SpringStartupCost.class.getName(),
                "--once",
                variant)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(variant + " run failed:\n" + output);
    }
    for (String line : output.split("\n")) {
      if (line.startsWith("startup-millis=")) {
        return Long.parseLong(line.substring("startup-millis=".length()).trim());
      }
    }
    throw new IllegalStateException(variant + " run printed no time:\n" + output);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
