package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.balancer.LoadBalancers;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Path;

/** Annotated Retrofit interfaces through the mesh, end to end against real servers. */
class MeshRetrofitTest {
  @MeshService("mathoid")
  interface MathoidApi {
    @GET("render/{format}")
    Call<String> render(@Path("format") String format);
  }

  interface Unbound {
    @GET("x")
    Call<String> x();
  }

  @MeshService("citoid")
  interface UnknownService {
    @GET("x")
    Call<String> x();
  }

  private ThreeBackends backends;
  private Mesh mesh;

  @BeforeEach
  void start() {
    backends = new ThreeBackends();
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s -> s.endpoints(backends.addresses()).loadBalancer(LoadBalancers.roundRobin()))
            .build();
  }

  @AfterEach
  void stop() {
    mesh.close();
    backends.close();
  }

  @Test
  void annotatedInterfaceCallsReachEveryInstance() throws IOException {
    MathoidApi api =
        MeshOkHttp.of(mesh)
            .create(MathoidApi.class, b -> b.addConverterFactory(ScalarsConverterFactory.create()));
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      retrofit2.Response<String> response = api.render("svg").execute();
      assertEquals(200, response.code());
      assertEquals("/render/svg", response.raw().request().url().encodedPath());
      servedBy.add(response.body());
    }
    assertEquals(Set.of("backend-1", "backend-2", "backend-3"), servedBy);
  }

  @Test
  void anInterfaceWithoutMeshServiceSaysWhatIsMissing() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MeshOkHttp.of(mesh).create(Unbound.class));
    assertEquals(
        Unbound.class.getName()
            + " is not annotated with @MeshService;"
            + " add @MeshService(\"<service>\") to name the mesh service it calls",
        e.getMessage());
  }

  @Test
  void anInterfaceNamingAnUnknownServiceIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MeshOkHttp.of(mesh).create(UnknownService.class));
    assertTrue(e.getMessage().contains("@MeshService(\"citoid\")"), e.getMessage());
    assertTrue(e.getMessage().contains("configured services: [mathoid]"), e.getMessage());
  }
}
