package dev.meshwork.benchmarks.load;

import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The one client a scenario's JVM drives, built as an application builds its own: an {@code
 * OkHttpClient} with a call timeout, 30 s read and write timeouts and HTTP/1.1 only (HTTP/2 where
 * offered in S5 and S7), OkHttp's defaults otherwise (its own connection pool included). Raw OkHttp
 * uses that client (with the caller's certificate and host-name verification against nginx's IP SAN
 * for mutual TLS); the mesh wraps exactly that client with {@link MeshOkHttp#wrap}.
 */
final class ScenarioClient implements AutoCloseable {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final Scenario scenario;
  private final ScenarioSetup setup;
  private final OkHttpClient client;
  private final AutoCloseable mesh;
  private final AutoCloseable source;

  private ScenarioClient(
      Scenario scenario,
      ScenarioSetup setup,
      OkHttpClient client,
      AutoCloseable mesh,
      AutoCloseable source) {
    this.scenario = scenario;
    this.setup = setup;
    this.client = client;
    this.mesh = mesh;
    this.source = source;
  }

  /** The application's client, before any TLS or mesh: HTTP/1.1 only, or h2 where offered. */
  static OkHttpClient application(boolean http2) {
    return new OkHttpClient.Builder()
        .callTimeout(CALL_TIMEOUT)
        .readTimeout(READ_WRITE_TIMEOUT)
        .writeTimeout(READ_WRITE_TIMEOUT)
        .protocols(http2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
        .build();
  }

  static ScenarioClient create(Scenario scenario, ScenarioSetup setup)
      throws IOException, GeneralSecurityException {
    OkHttpClient application = application(scenario.http2());
    return switch (scenario) {
      case S0, S3, S6 -> new ScenarioClient(scenario, setup, application, null, null);
      case S2, S5 ->
          new ScenarioClient(scenario, setup, mutualTls(application, setup.pki()), null, null);
      case S1 -> {
        Mesh mesh = setup.ports().plainMesh();
        yield new ScenarioClient(
            scenario, setup, MeshOkHttp.of(mesh).wrap(application), mesh, null);
      }
      case S4, S7 -> {
        CertificateSource source = source(setup);
        try {
          Mesh mesh = setup.ports().tlsMesh(source);
          yield new ScenarioClient(
              scenario, setup, MeshOkHttp.of(mesh).wrap(application), mesh, source);
        } catch (RuntimeException e) {
          source.close();
          throw e;
        }
      }
    };
  }

  /** The call this scenario makes against the first endpoint, or spread over all of them. */
  LoadDriver.Call call(boolean allEndpoints) {
    return Testbed.okhttp(client, setup.ports().urls(scenario, allEndpoints), scenario.http2());
  }

  /** The processes whose CPU counts for this scenario besides this JVM's. */
  CpuMeter cpuMeter() {
    return scenario.viaSidecar()
        ? new CpuMeter(java.util.Map.of("backend", setup.nginxPid(), "proxy", setup.haproxyPid()))
        : new CpuMeter(java.util.Map.of("backend", setup.nginxPid()));
  }

  /** Connections nginx has accepted so far. */
  long backendAccepts() {
    return NginxStatus.accepts(setup.nginxStatusPort());
  }

  private static CertificateSource source(ScenarioSetup setup) throws IOException {
    PkiFiles pki = setup.pki();
    return switch (setup.identity()) {
      case PEM ->
          PemFileSource.builder()
              .keyFile(pki.callerKey())
              .chainFile(pki.callerChain())
              .trustBundleFile(pki.trustBundle())
              .build();
      case BUILTIN ->
          BuiltInCaSource.builder()
              .ca(BuiltInCa.builder().load(pki.caDirectory()))
              .spiffeId(HarnessPki.CALLER_ID)
              .build();
    };
  }

  /**
   * The application's client with the caller's key and chain, trusting the run's CA through the
   * JDK's own trust manager; OkHttp verifies nginx's host name (its IP SAN) as usual.
   */
  private static OkHttpClient mutualTls(OkHttpClient application, PkiFiles pki)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = Pem.readCertificates(pki.callerChain(), "caller chain");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "caller",
        Pem.readPrivateKey(pki.callerKey(), "caller key"),
        new char[0],
        chain.toArray(new X509Certificate[0]));
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    int i = 0;
    for (X509Certificate anchor : Pem.readCertificates(pki.trustBundle(), "trust bundle")) {
      anchors.setCertificateEntry("anchor-" + i++, anchor);
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    X509TrustManager trustManager = (X509TrustManager) trust.getTrustManagers()[0];
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
    return application
        .newBuilder()
        .sslSocketFactory(context.getSocketFactory(), trustManager)
        .build();
  }

  @Override
  public void close() throws Exception {
    if (mesh != null) {
      mesh.close();
    }
    if (source != null) {
      source.close();
    }
    client.connectionPool().evictAll();
  }
}
