package dev.meshwork.okhttp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares whether calls to this Retrofit method may be retried after they may have reached the
 * server. By default GET, HEAD, OPTIONS, PUT, DELETE and TRACE are idempotent and other methods are
 * not; {@code @Idempotent} on a {@code POST} that the server deduplicates makes it retriable,
 * {@code @Idempotent(false)} on a {@code PUT} with side effects makes it safe.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {

  boolean value() default true;
}
