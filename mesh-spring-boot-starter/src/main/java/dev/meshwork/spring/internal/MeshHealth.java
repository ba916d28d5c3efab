package dev.meshwork.spring.internal;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.spi.PeerSecurity.CertificateSummary;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.ClassUtils;

/**
 * The mesh's health for Actuator: up once every service's discovery has answered and no service's
 * certificate is near its end (a quarter of its lifetime left: renewal, due at half, has failed for
 * long). Boot 4 moved {@code HealthIndicator} and {@code Health} to {@code
 * org.springframework.boot.health.contributor}; this speaks to whichever the application has, so
 * one jar serves Boot 3.5 and 4.
 */
public final class MeshHealth {
  /** Boot 4's package, then Boot 3's. */
  private static final List<String> PACKAGES =
      List.of(
          "org.springframework.boot.health.contributor", "org.springframework.boot.actuate.health");

  private MeshHealth() {}

  /** Whether the application has an Actuator health package. */
  public static boolean available(ClassLoader loader) {
    return PACKAGES.stream().anyMatch(p -> ClassUtils.isPresent(p + ".HealthIndicator", loader));
  }

  /** A {@code HealthIndicator} of the application's Boot line for {@code mesh}. */
  public static Object indicator(Mesh mesh, ClassLoader loader) {
    for (String pkg : PACKAGES) {
      if (ClassUtils.isPresent(pkg + ".HealthIndicator", loader)) {
        Class<?> indicator = ClassUtils.resolveClassName(pkg + ".HealthIndicator", loader);
        Class<?> health = ClassUtils.resolveClassName(pkg + ".Health", loader);
        return Proxy.newProxyInstance(
            indicator.getClassLoader(), new Class<?>[] {indicator}, new Handler(mesh, health));
      }
    }
    throw new IllegalStateException("no Actuator HealthIndicator on the class path");
  }

  /** The state and details of {@code snapshot}: whether it is up, and why not. */
  static Map<String, Object> details(MeshSnapshot snapshot, List<String> problems) {
    Map<String, Object> details = new LinkedHashMap<>();
    Map<String, Object> services = new LinkedHashMap<>();
    for (MeshSnapshot.Service service : snapshot.services()) {
      String name = service.name().value();
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("discovery", service.discovery().status().name());
      state.put("usableEndpoints", service.endpoints().stream().filter(e -> e.usable()).count());
      if (!service.discovered()) {
        problems.add(name + ": discovery has not answered yet");
      }
      service
          .certificate()
          .ifPresent(
              info -> {
                CertificateSummary leaf = MeshView.leaf(info);
                state.put("certificateNotAfter", leaf.notAfter().toString());
                if (MeshView.nearExpiry(leaf.notBefore(), leaf.notAfter(), snapshot.time())) {
                  problems.add(
                      name
                          + ": certificate "
                          + leaf.subject()
                          + " expires at "
                          + leaf.notAfter()
                          + " and has not been renewed");
                }
              });
      services.put(name, state);
    }
    details.put("services", services);
    details.put("configGeneration", snapshot.configStatus().generation());
    snapshot.configStatus().lastError().ifPresent(e -> details.put("lastConfigError", e.message()));
    if (!problems.isEmpty()) {
      details.put("problems", problems);
    }
    return details;
  }

  private record Handler(Mesh mesh, Class<?> healthType) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("health") && method.getParameterCount() == 0) {
        return health();
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "MeshHealth";
        default:
          throw new UnsupportedOperationException(method.toString());
      }
    }

    private Object health() throws Throwable {
      List<String> problems = new ArrayList<>();
      Map<String, Object> details = details(mesh.snapshot(), problems);
      try {
        Object builder = healthType.getMethod(problems.isEmpty() ? "up" : "down").invoke(null);
        builder = builder.getClass().getMethod("withDetails", Map.class).invoke(builder, details);
        return builder.getClass().getMethod("build").invoke(builder);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
