package dev.meshwork.spring;

import dev.meshwork.okhttp.MeshService;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.GET;

/** A Retrofit client of the mesh service {@code mathoid}. */
@MeshService("mathoid")
public interface MathoidApi {
  @GET("render/svg")
  Call<ResponseBody> render();
}
