package dev.meshwork.examples.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.examples.MathoidApi;
import dev.meshwork.spring.EnableMeshClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import retrofit2.Converter;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * restbase as a Spring Boot application: the meshwork starter builds the mesh from {@code
 * meshwork.*} properties (a 90/10 canary between two local mathoid instances, v1 and v2) and makes
 * the {@code @MeshService} interface {@link MathoidApi} a bean. Run: {@code mvn -q -pl examples -am
 * compile exec:java -Dexec.mainClass=dev.meshwork.examples.spring.SpringRestbaseDemo}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMeshClients("dev.meshwork.examples")
public class SpringRestbaseDemo {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer v1 = mathoid("mathoid-v1");
    HttpServer v2 = mathoid("mathoid-v2");
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("meshwork.mesh.random-seed", "7");
    properties.put("meshwork.services.mathoid.discovery.static[0]", address(v1) + " version=v1");
    properties.put("meshwork.services.mathoid.discovery.static[1]", address(v2) + " version=v2");
    properties.put("meshwork.services.mathoid.timeouts.overall", "2s");
    properties.put("meshwork.services.mathoid.subsets.v1.version", "v1");
    properties.put("meshwork.services.mathoid.subsets.v2.version", "v2");
    properties.put("meshwork.services.mathoid.routes[0].name", "canary");
    properties.put("meshwork.services.mathoid.routes[0].split[0].subset", "v1");
    properties.put("meshwork.services.mathoid.routes[0].split[0].weight", "90");
    properties.put("meshwork.services.mathoid.routes[0].split[1].subset", "v2");
    properties.put("meshwork.services.mathoid.routes[0].split[1].weight", "10");
    try {
      new SpringApplicationBuilder(SpringRestbaseDemo.class)
          .web(WebApplicationType.NONE)
          .properties(properties)
          .run(args)
          .close();
    } finally {
      v1.stop(0);
      v2.stop(0);
    }
  }

  @Bean
  Converter.Factory jackson() {
    return JacksonConverterFactory.create();
  }

  @Bean
  CommandLineRunner restbase(MathoidApi mathoid, Mesh mesh) {
    return args -> {
      Map<String, Integer> servedBy = new TreeMap<>();
      for (int i = 0; i < 100; i++) {
        MathoidApi.Rendered rendered =
            mathoid.render(new MathoidApi.Formula("E=mc^2")).execute().body();
        servedBy.merge(rendered.instance(), 1, Integer::sum);
      }
      System.out.println("100 renders through the mesh, canary 90/10: " + servedBy);
      System.out.println("config in force: " + mesh.configStatus());
    };
  }

  /** A plain-HTTP stand-in for a mathoid instance that says who rendered. */
  private static HttpServer mathoid(String name) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/render/svg",
        exchange -> {
          MathoidApi.Formula formula =
              JSON.readValue(exchange.getRequestBody(), MathoidApi.Formula.class);
          byte[] body =
              JSON.writeValueAsString(
                      new MathoidApi.Rendered(name, "<svg><!-- " + formula.tex() + " --></svg>"))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  private static String address(HttpServer server) {
    return "127.0.0.1:" + server.getAddress().getPort();
  }
}
