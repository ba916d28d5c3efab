package dev.meshwork.xds;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.xds.internal.CertificateProviders;
import dev.meshwork.xds.internal.ConfigurerSink;
import dev.meshwork.xds.internal.XdsRuntime;
import dev.meshwork.xds.internal.XdsStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes services of a running mesh from an xDS control plane (Istio's istiod, a control plane on
 * Envoy's go-control-plane or java-control-plane): for each logical URL it subscribes to the
 * Listener {@code host:port}, follows its routes, clusters and endpoints, and applies the service
 * {@code host} to the mesh with {@code MeshConfigurer}; later versions apply the same way,
 * atomically. The mesh's other services stay as they are. See {@code docs/xds-mapping.md} for what
 * each xDS field becomes.
 *
 * <pre>{@code
 * XdsBootstrap bootstrap = XdsBootstrap.fromEnvironment();
 * // Mutual TLS with the files of the bootstrap's file_watcher certificate provider "default".
 * Mesh mesh = Mesh.builder().security(bootstrap.meshTls("default")).build();
 * XdsClient xds = XdsClient.start(bootstrap, mesh, "http://mathoid:8080/");
 * xds.awaitReady(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>When the control plane goes away the last accepted configuration stays in use and the client
 * reconnects with back-off; {@link #status()} shows since when it is stale. A response Meshwork
 * cannot honour safely is NACKed, and the mesh's {@code configStatus()} records why.
 */
public final class XdsClient implements AutoCloseable {
  private final XdsRuntime runtime;

  private XdsClient(XdsRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Connects to the bootstrap's first server and subscribes to the Listeners of {@code
   * logicalUrls}, such as {@code http://mathoid:8080/} (Listener {@code mathoid:8080}, service
   * {@code mathoid}).
   *
   * @throws MeshConfigException naming a URL that is not an http(s) URL with a host, or two URLs of
   *     one host
   */
  public static XdsClient start(XdsBootstrap bootstrap, Mesh mesh, String... logicalUrls) {
    Set<String> listeners = new LinkedHashSet<>();
    Set<String> hosts = new LinkedHashSet<>();
    for (String url : logicalUrls) {
      String listener = listener(url);
      String host = URI.create(url).getHost();
      if (!hosts.add(host)) {
        throw new MeshConfigException(
            "xds logical URL", url, "one URL per host (the host is the service)");
      }
      listeners.add(listener);
    }
    if (listeners.isEmpty()) {
      throw new MeshConfigException(
          "xds logical URLs", "none", "at least one, such as http://mathoid:8080/");
    }
    XdsRuntime.Options defaults = XdsRuntime.Options.defaults();
    XdsRuntime.Options options =
        new XdsRuntime.Options(
                mesh.clock(),
                defaults.timers(),
                defaults.random(),
                defaults.doesNotExistTimeout(),
                defaults.backoff(),
                bootstrap.server().has(XdsBootstrap.IGNORE_RESOURCE_DELETION))
            .withCertificateProviders(providers(bootstrap, mesh));
    return new XdsClient(
        new XdsRuntime(
            bootstrap.server().uri(),
            BootstrapProtos.credentials(bootstrap.server().credentials()),
            BootstrapProtos.node(bootstrap.node()),
            listeners,
            new ConfigurerSink(mesh),
            options));
  }

  /** The bootstrap certificate providers whose files the mesh's identity is read from. */
  static CertificateProviders providers(XdsBootstrap bootstrap, Mesh mesh) {
    Optional<PeerSecurity> security = mesh.security();
    if (security.isEmpty()) {
      return CertificateProviders.none(
          "the mesh has no peer security; build it with security(bootstrap.meshTls(instance))");
    }
    if (!(security.get() instanceof MeshTls tls) || !(tls.source() instanceof PemFileSource pem)) {
      return CertificateProviders.none(
          "the mesh's identity comes from "
              + security.get().getClass().getSimpleName()
              + ", not from a bootstrap provider; build it with"
              + " security(bootstrap.meshTls(instance))");
    }
    Set<String> usable = new TreeSet<>();
    bootstrap
        .certificateProviders()
        .forEach(
            (name, files) -> {
              if (same(files.certificateFile(), pem.chainFile())
                  && same(files.privateKeyFile(), pem.keyFile())
                  && same(files.caCertificateFile(), pem.trustBundleFile())) {
                usable.add(name);
              }
            });
    return new CertificateProviders(
        usable,
        usable.isEmpty()
            ? "the mesh reads " + pem.chainFile() + ", which no bootstrap provider names"
            : "it comes from " + usable);
  }

  private static boolean same(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  static String listener(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new MeshConfigException("xds logical URL", url, "a URL such as http://mathoid:8080/");
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new MeshConfigException(
          "xds logical URL", url, "an http(s) URL with a host, such as http://mathoid:8080/");
    }
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /**
   * Waits, at most {@code bound}, until the first configuration is applied to the mesh.
   *
   * @return false when it was not within {@code bound}; {@link #status()} says what is awaited
   */
  public boolean awaitReady(Duration bound) throws InterruptedException {
    try {
      runtime.firstApplied().get(bound.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** How the client is doing now. */
  public Status status() {
    XdsStatus status = runtime.status();
    return new Status(
        status.connected(),
        status.streamDetail(),
        status.staleness(),
        status.lastContact(),
        status.versions(),
        status.lastNack(),
        status.targets(),
        status.unsupported().stream().map(Object::toString).toList());
  }

  /** Closes the stream and the channel; the mesh keeps the services it has. */
  @Override
  public void close() {
    runtime.close();
  }

  /**
   * The client's state.
   *
   * @param connected whether the ADS stream is up
   * @param detail the stream's state in words (the last error while down)
   * @param staleness how long the configuration has gone without the control plane
   * @param lastContact the last response, accepted or not
   * @param versions the version last accepted per resource type
   * @param lastNack the last NACK: type, version and why
   * @param listeners per Listener: ready, waiting (for which resources) or absent, and what it
   *     lacks
   * @param unsupported each field of the accepted resources Meshwork does not honour, with its path
   *     and value
   */
  public record Status(
      boolean connected,
      String detail,
      Duration staleness,
      Optional<Instant> lastContact,
      Map<String, String> versions,
      Optional<String> lastNack,
      Map<String, String> listeners,
      List<String> unsupported) {}
}
