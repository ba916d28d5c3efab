package dev.meshwork.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Makes every interface annotated {@link dev.meshwork.okhttp.MeshService} in the given packages (by
 * default, this class's package and below) a bean calling that service through the mesh: a Retrofit
 * interface via {@code MeshOkHttp.create}, with the context's {@code Converter.Factory} and {@code
 * CallAdapter.Factory} beans; an interface of Spring {@code @HttpExchange} methods via a {@code
 * RestClient} whose base URL is {@code http://<service>}.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @EnableMeshClients
 * class RestbaseApplication {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(MeshClientsRegistrar.class)
public @interface EnableMeshClients {

  /** Packages to scan; empty for the annotated class's package. */
  String[] value() default {};
}
