package dev.meshwork.examples;

import dev.meshwork.okhttp.Idempotent;
import dev.meshwork.okhttp.MeshService;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.POST;

/** The slice of mathoid's API that restbase uses: render a TeX formula to SVG. */
@MeshService("mathoid")
public interface MathoidApi {

  /** A formula to render. */
  record Formula(String tex) {}

  /** The rendering, and which instance produced it. */
  record Rendered(String instance, String svg) {}

  /**
   * Rendering is a pure function of the formula, so a repeated render is harmless and may be
   * retried.
   */
  @Idempotent
  @POST("render/svg")
  Call<Rendered> render(@Body Formula formula);
}
