package dev.meshwork.okhttp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a Retrofit interface to a mesh service: {@link MeshOkHttp#create(Class)} sends its calls to
 * {@code http://<value>/} through the mesh.
 *
 * <pre>{@code
 * @MeshService("mathoid")
 * interface MathoidApi {
 *   @POST("render/svg") Call<Rendered> render(@Body Formula formula);
 * }
 * MathoidApi mathoid = MeshOkHttp.of(mesh).create(MathoidApi.class);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MeshService {

  /** The name of a service configured in the mesh, for example {@code "mathoid"}. */
  String value();
}
