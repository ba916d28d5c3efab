package dev.meshwork.okhttp;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.okhttp.internal.MethodOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * The call options of Retrofit methods, read from {@link Timeout}, {@link Retry}, {@link NoRetry},
 * {@link Idempotent} and {@link Hedge} on the method, or else on its interface. Read and validated
 * once per interface when the client is created, so a bad value fails at {@code create()} naming
 * the method; kept in {@link MethodOptions}, where the transport finds them per call.
 */
final class MethodPolicies {
  private MethodPolicies() {}

  /**
   * Reads every method of {@code api}.
   *
   * @throws IllegalArgumentException naming the method and the annotation value that is wrong
   */
  static void register(Class<?> api) {
    for (Method method : api.getMethods()) {
      if (method.isDefault()
          || Modifier.isStatic(method.getModifiers())
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      MethodOptions.readOnce(method, m -> read(api, m));
    }
  }

  private static CallOptions read(Class<?> api, Method method) {
    String where = api.getName() + "." + method.getName() + "()";
    Timeout timeout = annotation(method, api, Timeout.class);
    Retry retry = annotation(method, api, Retry.class);
    NoRetry noRetry = annotation(method, api, NoRetry.class);
    Idempotent idempotent = annotation(method, api, Idempotent.class);
    Hedge hedge = annotation(method, api, Hedge.class);
    if (method.isAnnotationPresent(Retry.class) && method.isAnnotationPresent(NoRetry.class)) {
      throw new IllegalArgumentException(where + ": @Retry and @NoRetry together; keep one");
    }
    try {
      CallOptions.Builder options = CallOptions.builder();
      if (timeout != null) {
        options.timeout(millis("@Timeout(millis)", timeout.millis()));
        if (timeout.perTryMillis() != 0) {
          options.perTryTimeout(millis("@Timeout(perTryMillis)", timeout.perTryMillis()));
        }
      }
      // The method's own choice wins over the interface's: @NoRetry on the method beats @Retry on
      // the type.
      boolean methodSaysNoRetry = method.isAnnotationPresent(NoRetry.class);
      if (noRetry != null && (methodSaysNoRetry || !method.isAnnotationPresent(Retry.class))) {
        options.maxAttempts(1);
      } else if (retry != null) {
        if (retry.attempts() < 1) {
          throw new MeshConfigException("@Retry(attempts)", retry.attempts(), "at least 1");
        }
        options.maxAttempts(retry.attempts());
        if (retry.on().length > 0) {
          options.retryOn(EnumSet.copyOf(List.of(retry.on())));
        }
      }
      if (idempotent != null) {
        options.idempotent(idempotent.value());
      }
      if (hedge != null) {
        options.hedgeDelay(millis("@Hedge(delayMillis)", hedge.delayMillis()));
      }
      return options.build();
    } catch (MeshConfigException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static Duration millis(String field, long millis) {
    if (millis <= 0) {
      throw new MeshConfigException(field, millis, "a positive number of milliseconds");
    }
    return Duration.ofMillis(millis);
  }

  private static <A extends java.lang.annotation.Annotation> A annotation(
      Method method, Class<?> api, Class<A> type) {
    A own = method.getAnnotation(type);
    return own != null ? own : api.getAnnotation(type);
  }
}
