package dev.meshwork.okhttp;

import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How calls to a Retrofit method (or, on the interface, to every method without its own) are
 * retried, overriding the service's retry policy. Back-off and the retry budget stay the service's.
 *
 * <pre>{@code
 * @Retry(attempts = 3, on = {RetryPolicy.RetryOn.CONNECT_FAILURE, RetryPolicy.RetryOn.RETRIABLE_STATUS})
 * @GET("formula/{id}") Call<Formula> formula(@Path("id") String id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

  /** Attempts including the first; at least 1. */
  int attempts();

  /** The failures to retry; empty keeps the service's list. */
  RetryOn[] on() default {};
}
