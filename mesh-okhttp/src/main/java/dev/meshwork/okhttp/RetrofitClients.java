package dev.meshwork.okhttp;

import dev.meshwork.core.ServiceName;
import dev.meshwork.okhttp.internal.SharedTransport;
import java.util.function.Consumer;
import retrofit2.Retrofit;

/** Builds Retrofit clients for {@link MeshService} interfaces on a mesh's transport. */
final class RetrofitClients {
  private RetrofitClients() {}

  static <T> T create(
      SharedTransport transport, Class<T> api, Consumer<Retrofit.Builder> customizer) {
    MeshService binding = api.getAnnotation(MeshService.class);
    if (binding == null) {
      throw new IllegalArgumentException(
          api.getName()
              + " is not annotated with @"
              + MeshService.class.getSimpleName()
              + "; add @MeshService(\"<service>\") to name the mesh service it calls");
    }
    String service = binding.value();
    if (!ServiceName.isValid(service) || transport.context().invoker(service) == null) {
      throw new IllegalArgumentException(
          "@MeshService(\""
              + service
              + "\") on "
              + api.getName()
              + " names a service this mesh does not have; configured services: "
              + transport.context().services());
    }
    MethodPolicies.register(api);
    Retrofit.Builder builder =
        new Retrofit.Builder().baseUrl("http://" + service + "/").client(transport.baseClient());
    customizer.accept(builder);
    return builder.build().create(api);
  }
}
