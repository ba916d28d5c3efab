package dev.meshwork.okhttp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Hedges calls to an idempotent Retrofit method (or every method of the interface): when the first
 * attempt has not answered after {@code delayMillis}, a backup attempt goes to another endpoint and
 * the first good answer wins. Backups count against the service's retry budget and attempt limit;
 * calls that are not idempotent are never hedged.
 *
 * <pre>{@code
 * @Hedge(delayMillis = 50)
 * @GET("formula/{id}") Call<Formula> formula(@Path("id") String id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Hedge {

  /** How long the first attempt may take before the backup is sent, in milliseconds; positive. */
  long delayMillis();
}
