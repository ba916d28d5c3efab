package dev.meshwork.okhttp.internal;

import dev.meshwork.core.CallOptions;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The call options of Retrofit methods, read once per interface when its client is created and
 * looked up per call through the request's Retrofit {@code Invocation} tag.
 */
public final class MethodOptions {
  private static final Map<Method, CallOptions> BY_METHOD = new ConcurrentHashMap<>();

  private MethodOptions() {}

  /**
   * Reads the options of {@code method} with {@code read} unless they were read before; what {@code
   * read} throws leaves the method unread.
   */
  public static void readOnce(Method method, Function<Method, CallOptions> read) {
    BY_METHOD.computeIfAbsent(method, read);
  }

  /**
   * The options of {@code method}, or {@link CallOptions#NONE} when it has none or was never read.
   */
  public static CallOptions of(Method method) {
    return BY_METHOD.getOrDefault(method, CallOptions.NONE);
  }
}
