package dev.meshwork.okhttp.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import retrofit2.http.DELETE;
import retrofit2.http.GET;
import retrofit2.http.HEAD;
import retrofit2.http.HTTP;
import retrofit2.http.OPTIONS;
import retrofit2.http.PATCH;
import retrofit2.http.POST;
import retrofit2.http.PUT;

/**
 * The path templates of Retrofit methods, such as {@code /render/{format}} for
 * {@code @GET("render/{format}")}, for metric tags and span names. Retrofit 3.0's {@code
 * Invocation} gives the method but not its relative URL, so the template is read from the method's
 * HTTP annotation, once per method. A method whose URL comes from a {@code @Url} argument, or is
 * absolute, has none: its paths are not known in advance.
 */
final class PathTemplates {
  private static final String NONE = "";
  private static final Map<Method, String> BY_METHOD = new ConcurrentHashMap<>();

  private PathTemplates() {}

  /** The template of {@code method}, or {@code null}. */
  static String of(Method method) {
    String template = BY_METHOD.get(method);
    if (template == null) {
      template = BY_METHOD.computeIfAbsent(method, PathTemplates::read);
    }
    return template.isEmpty() ? null : template;
  }

  private static String read(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      String relative = relativeUrl(annotation);
      if (relative != null) {
        return template(relative);
      }
    }
    return NONE;
  }

  private static String relativeUrl(Annotation annotation) {
    if (annotation instanceof GET a) {
      return a.value();
    } else if (annotation instanceof POST a) {
      return a.value();
    } else if (annotation instanceof PUT a) {
      return a.value();
    } else if (annotation instanceof DELETE a) {
      return a.value();
    } else if (annotation instanceof PATCH a) {
      return a.value();
    } else if (annotation instanceof HEAD a) {
      return a.value();
    } else if (annotation instanceof OPTIONS a) {
      return a.value();
    } else if (annotation instanceof HTTP a) {
      return a.path();
    }
    return null;
  }

  /**
   * {@code render/{format}?x=1} becomes {@code /render/{format}}; empty or absolute URLs give none.
   */
  static String template(String relative) {
    if (relative.isEmpty() || relative.contains("://") || relative.startsWith("//")) {
      return NONE;
    }
    int query = relative.indexOf('?');
    String path = query < 0 ? relative : relative.substring(0, query);
    return path.startsWith("/") ? path : "/" + path;
  }
}
