package dev.meshwork.examples;

import com.sun.net.httpserver.HttpsExchange;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.SpiffeId;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.util.List;
import okhttp3.OkHttpClient;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.POST;

/**
 * What a code sample may use without declaring it: what a reader of the sample already has in hand
 * (the application's client and registry, a mesh and CA made earlier on the page, the server
 * exchange being handled, the application's own request and response types). Never run, only
 * compiled against, so the fields stay unset.
 */
@SuppressWarnings("unused") // read by the compiled samples, not by this module
public abstract class SamplePrelude {
  protected OkHttpClient existingClient;
  protected MeterRegistry prometheusRegistry;
  protected Mesh mesh;
  protected dev.meshwork.config.MeshConfig config;
  protected MeshOkHttp http;
  protected DiscoverySource dns;
  protected BuiltInCa ca;
  protected BuiltInCaSource source;
  protected SpiffeId restbase;
  protected MeshClock clock;
  protected HttpsExchange exchange;
  protected List<X509Certificate> chain;
  protected MathoidApi mathoid;
  protected Formula formula;

  /** The application's own payload types in the Retrofit samples. */
  protected record Formula(String tex) {}

  protected record Rendered(String svg) {}

  protected record Svg(String body) {}

  protected record Order(String id) {}

  protected record Receipt(String id) {}

  /** The application's Retrofit interface, as a sample that does not declare its own sees it. */
  protected interface MathoidApi {
    @POST("render/svg")
    Call<Rendered> render(@Body Formula formula);
  }
}
