package dev.meshwork.okhttp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The overall deadline of calls to a Retrofit method (or, on the interface, of every method without
 * its own), overriding the service's timeout; optionally a per-try timeout too.
 *
 * <pre>{@code
 * @Timeout(millis = 800, perTryMillis = 300)
 * @GET("render/{id}") Call<Rendered> rendered(@Path("id") String id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

  /** The deadline of the logical call in milliseconds, retries included; positive. */
  long millis();

  /** The bound of each attempt in milliseconds; 0 keeps the service's per-try timeout. */
  long perTryMillis() default 0;
}
