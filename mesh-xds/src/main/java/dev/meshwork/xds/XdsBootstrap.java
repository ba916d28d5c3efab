package dev.meshwork.xds;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PemFileSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the xDS control plane is and who this process is to it: gRPC's bootstrap format, so the
 * file Istio's agent writes for proxyless gRPC configures Meshwork too. Read it from the
 * environment ({@value #FILE_ENV} names a file, {@value #CONFIG_ENV} holds the JSON itself; the
 * file wins), from JSON, or build the same with {@link #builder()}:
 *
 * <pre>{@code
 * XdsBootstrap bootstrap = XdsBootstrap.builder()
 *     .server("dns:///istiod.istio-system.svc:15010")
 *     .node(new XdsBootstrap.Node("sidecar~10.0.0.7~restbase.default~default.svc.cluster.local",
 *         "restbase", Map.of("NAMESPACE", "default"), XdsBootstrap.Locality.NONE))
 *     .build();
 * }</pre>
 *
 * <p>Only the first server is used, as gRPC does. Its channel credentials are the first listed type
 * Meshwork supports ({@code insecure}, {@code tls}); a list with none of them is refused. What the
 * bootstrap holds that Meshwork does not honour (a {@code google_default} credential, a certificate
 * provider plugin other than {@code file_watcher}, server-side or federation fields, unknown
 * fields) is listed in {@link #unsupported()}, never silently dropped.
 *
 * @param servers the control planes, the first of which is used; never empty
 * @param node how this process presents itself to the control plane
 * @param certificateProviders the {@code file_watcher} certificate providers by instance name
 * @param unsupported each bootstrap field Meshwork does not honour, with its value and why
 */
public record XdsBootstrap(
    List<Server> servers,
    Node node,
    Map<String, FileWatcher> certificateProviders,
    List<String> unsupported) {
  /** The environment variable naming the bootstrap file. */
  public static final String FILE_ENV = "GRPC_XDS_BOOTSTRAP";

  /** The environment variable holding the bootstrap JSON itself. */
  public static final String CONFIG_ENV = "GRPC_XDS_BOOTSTRAP_CONFIG";

  /** The server feature that makes the client keep resources the server says were deleted. */
  public static final String IGNORE_RESOURCE_DELETION = "ignore_resource_deletion";

  /** Checks and copies every part. */
  public XdsBootstrap {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new MeshConfigException("xds bootstrap xds_servers", "[]", "at least one server");
    }
    Objects.requireNonNull(node, "node");
    certificateProviders =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(certificateProviders));
    unsupported = List.copyOf(unsupported);
  }

  /**
   * The bootstrap the environment names: the file in {@value #FILE_ENV}, else the JSON in {@value
   * #CONFIG_ENV}.
   *
   * @throws MeshConfigException when neither is set, the file cannot be read, or its content is
   *     refused (naming the field and the value)
   */
  public static XdsBootstrap fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  static XdsBootstrap fromEnvironment(UnaryOperator<String> env) {
    String file = env.apply(FILE_ENV);
    if (file != null && !file.isEmpty()) {
      return read(Path.of(file));
    }
    String config = env.apply(CONFIG_ENV);
    if (config != null && !config.isEmpty()) {
      return BootstrapParser.parse(config, CONFIG_ENV);
    }
    throw new MeshConfigException(
        "xds bootstrap",
        "none",
        "the environment variable " + FILE_ENV + " (a file) or " + CONFIG_ENV + " (its JSON)");
  }

  /**
   * Reads the bootstrap file at {@code file}.
   *
   * @throws MeshConfigException naming the file when it cannot be read, or the field and value that
   *     are refused
   */
  public static XdsBootstrap read(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MeshConfigException(
          "xds bootstrap file", file, "a readable file (" + e.getClass().getSimpleName() + ")");
    }
    return BootstrapParser.parse(json, file.toString());
  }

  /**
   * Parses bootstrap JSON.
   *
   * @throws MeshConfigException naming the field and value that are refused
   */
  public static XdsBootstrap parse(String json) {
    return BootstrapParser.parse(json, "json");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mutual TLS for the mesh from the {@code file_watcher} certificate provider {@code instance}:
   * its PEM files (written by the Istio agent or SPIRE) are this workload's identity and trust
   * bundle, re-read every {@code refresh_interval}, and closing the mesh stops watching them. Build
   * the mesh with it ({@code Mesh.builder().security(bootstrap.meshTls("default"))}) so clusters
   * whose upstream TLS context names {@code instance} speak mutual TLS.
   *
   * @throws MeshConfigException naming the instance when the bootstrap has no such provider, or the
   *     file and the reason when its files do not hold a valid identity
   */
  public MeshTls meshTls(String instance) {
    FileWatcher files = certificateProviders.get(instance);
    if (files == null) {
      throw new MeshConfigException(
          "xds bootstrap certificate_providers instance",
          instance,
          "one of " + certificateProviders.keySet());
    }
    PemFileSource source =
        PemFileSource.builder()
            .keyFile(files.privateKeyFile())
            .chainFile(files.certificateFile())
            .trustBundleFile(files.caCertificateFile())
            .pollInterval(files.refreshInterval())
            .build();
    return MeshTls.builder().source(source).closeSourceWithMesh(true).build();
  }

  /** The server this client talks to: the first of {@link #servers()}. */
  public Server server() {
    return servers.get(0);
  }

  /**
   * One control plane.
   *
   * @param uri a gRPC target, such as {@code dns:///istiod.istio-system.svc:15010}, {@code
   *     localhost:15010} or {@code unix:///etc/istio/proxy/XDS}
   * @param credentials how the channel is secured
   * @param features the server's features, such as {@code xds_v3} or {@value
   *     #IGNORE_RESOURCE_DELETION}
   */
  public record Server(String uri, Credentials credentials, Set<String> features) {
    public Server {
      if (uri == null || uri.isBlank()) {
        throw new MeshConfigException(
            "xds bootstrap xds_servers server_uri", uri, "a gRPC target such as localhost:15010");
      }
      Objects.requireNonNull(credentials, "credentials");
      features = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(features));
    }

    /** Whether the server has {@code feature}. */
    public boolean has(String feature) {
      return features.contains(feature);
    }
  }

  /**
   * Channel credentials: {@code insecure} (plaintext, as Istio's agent serves on a local socket) or
   * {@code tls} (the JDK's trust store, or {@code caCertificateFile}; a client certificate when
   * both key files are set).
   *
   * @param type {@code insecure} or {@code tls}
   * @param caCertificateFile PEM roots for {@code tls}; empty for the JDK's
   * @param certificateFile PEM client certificate chain for {@code tls}; empty for none
   * @param privateKeyFile PEM client key for {@code tls}; empty for none
   */
  public record Credentials(
      String type,
      Optional<Path> caCertificateFile,
      Optional<Path> certificateFile,
      Optional<Path> privateKeyFile) {
    public Credentials {
      if (!"insecure".equals(type) && !"tls".equals(type)) {
        throw new MeshConfigException("xds bootstrap channel_creds type", type, "insecure or tls");
      }
      if (certificateFile.isPresent() != privateKeyFile.isPresent()) {
        throw new MeshConfigException(
            "xds bootstrap channel_creds config",
            certificateFile.isPresent()
                ? "certificate_file without private_key_file"
                : "private_key_file without certificate_file",
            "both certificate_file and private_key_file, or neither");
      }
      if ("insecure".equals(type)
          && (caCertificateFile.isPresent() || certificateFile.isPresent())) {
        throw new MeshConfigException(
            "xds bootstrap channel_creds config", "files for type insecure", "no files");
      }
    }

    /** Plaintext. */
    public static Credentials insecure() {
      return new Credentials("insecure", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** TLS with the JDK's trust store and no client certificate. */
    public static Credentials tls() {
      return new Credentials("tls", Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * How this process presents itself: Istio reads its id, metadata and locality to pick the
   * configuration it sends.
   *
   * @param id the node id, for example {@code sidecar~10.0.0.7~pod.ns~ns.svc.cluster.local}; may be
   *     empty
   * @param cluster the node's cluster; may be empty
   * @param metadata free-form JSON values (maps, lists, strings, numbers, booleans)
   * @param locality where the node runs
   */
  public record Node(String id, String cluster, Map<String, Object> metadata, Locality locality) {
    public Node {
      id = id == null ? "" : id;
      cluster = cluster == null ? "" : cluster;
      metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
      Objects.requireNonNull(locality, "locality");
    }

    /** A node with an id only. */
    public static Node of(String id) {
      return new Node(id, "", Map.of(), Locality.NONE);
    }
  }

  /**
   * A node's or endpoint's place: region, zone and sub-zone, each empty when unknown.
   *
   * @param region for example {@code us-east1}
   * @param zone for example {@code us-east1-b}; this is what endpoints' zones are compared with
   * @param subZone a finer division, such as a rack
   */
  public record Locality(String region, String zone, String subZone) {
    /** No locality. */
    public static final Locality NONE = new Locality("", "", "");

    public Locality {
      region = region == null ? "" : region;
      zone = zone == null ? "" : zone;
      subZone = subZone == null ? "" : subZone;
    }
  }

  /**
   * gRPC's {@code file_watcher} certificate provider: PEM files (written by the Istio agent or
   * SPIRE) re-read every {@code refreshInterval}.
   *
   * @param certificateFile the workload's certificate chain
   * @param privateKeyFile the workload's private key
   * @param caCertificateFile the trusted roots
   * @param refreshInterval how often the files are checked; gRPC's default is 10 minutes
   */
  public record FileWatcher(
      Path certificateFile, Path privateKeyFile, Path caCertificateFile, Duration refreshInterval) {
    /** gRPC's default refresh interval. */
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(10);

    public FileWatcher {
      Objects.requireNonNull(certificateFile, "certificateFile");
      Objects.requireNonNull(privateKeyFile, "privateKeyFile");
      Objects.requireNonNull(caCertificateFile, "caCertificateFile");
      if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
        throw new MeshConfigException(
            "xds bootstrap file_watcher refresh_interval",
            refreshInterval,
            "a positive duration such as 600s");
      }
    }
  }

  /** Collects a bootstrap; {@link #build()} checks it as the JSON parser does. */
  public static final class Builder {
    private final List<Server> servers = new ArrayList<>();
    private Node node = Node.of("");
    private final Map<String, FileWatcher> providers = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a control plane reached in plaintext, with server feature {@code xds_v3}. */
    public Builder server(String uri) {
      return server(new Server(uri, Credentials.insecure(), Set.of("xds_v3")));
    }

    /** Adds a control plane; the first one added is used. */
    public Builder server(Server server) {
      servers.add(Objects.requireNonNull(server, "server"));
      return this;
    }

    /** How this process presents itself; default a node with an empty id. */
    public Builder node(Node node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /** Adds a {@code file_watcher} certificate provider instance called {@code name}. */
    public Builder certificateProvider(String name, FileWatcher provider) {
      providers.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Checks and returns the bootstrap.
     *
     * @throws MeshConfigException when no server was added
     */
    public XdsBootstrap build() {
      return new XdsBootstrap(servers, node, providers, List.of());
    }
  }
}
