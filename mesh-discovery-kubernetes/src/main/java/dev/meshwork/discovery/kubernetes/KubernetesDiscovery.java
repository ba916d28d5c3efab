package dev.meshwork.discovery.kubernetes;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.discovery.kubernetes.internal.Clients;
import dev.meshwork.discovery.kubernetes.internal.SliceReader;
import dev.meshwork.discovery.kubernetes.internal.SliceWatch;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Endpoints from the Kubernetes EndpointSlices of a service, followed with the fabric8 client's
 * informers (list, watch, resource versions, re-list after 410 Gone).
 *
 * <pre>{@code
 * DiscoverySource k8s = KubernetesDiscovery.builder()
 *     .namespace("mathoid")
 *     .portName("http")
 *     .podLabels("version")          // copy the pods' version label onto each endpoint
 *     .build();
 * Mesh mesh = Mesh.builder().service("mathoid", s -> s.discovery(k8s)).build();
 * }</pre>
 *
 * <p>Credentials: without {@link Builder#client}, each watch builds a client and closes it with the
 * watch; a client given to the builder stays the caller's to close. The client comes from
 *
 * <ul>
 *   <li>{@link Builder#inCluster()}: the pod's service account only (API server at {@code
 *       KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}, the account's {@code ca.crt} and token
 *       under {@code /var/run/secrets/kubernetes.io/serviceaccount/}). The token file is read for
 *       every request to the API server, so a token the kubelet rotated is used at once;
 *   <li>{@link Builder#kubeconfig(Path)}: that file's current context only;
 *   <li>by default, fabric8's auto-configuration: the kubeconfig ({@code KUBECONFIG}, the {@code
 *       kubeconfig} system property, or {@code ~/.kube/config}) when there is one, else the service
 *       account. fabric8 re-reads the token file (or the kubeconfig) when the API server answers
 *       401, and before a request when the last read is more than a minute old.
 * </ul>
 *
 * The fabric8 system properties ({@code kubernetes.auth.serviceAccount.token}, {@code
 * kubernetes.certs.ca.file}, ...) apply to the in-cluster settings in both cases.
 *
 * <p>Ready endpoints are used; with {@link Builder#terminatingFallback} serving-but-terminating
 * ones too when none is ready. An unknown port name, several ports without a port name, or an API
 * server that refuses the credentials is reported (naming this source, the service and the reason)
 * and the last good endpoints stay. After the informer's first sync, the slices are an
 * authoritative answer: a service without slices has no endpoints.
 */
public final class KubernetesDiscovery implements DiscoverySource {
  private final KubernetesClient client;
  private final boolean inCluster;
  private final Path kubeconfig;
  private final String namespace;
  private final String serviceName;
  private final String portName;
  private final boolean terminatingFallback;
  private final Set<String> podLabels;
  private final Duration connectionCheck;

  private KubernetesDiscovery(Builder builder) {
    this.client = builder.client;
    this.inCluster = builder.inCluster;
    this.kubeconfig = builder.kubeconfig;
    this.namespace = builder.namespace;
    this.serviceName = builder.serviceName;
    this.portName = builder.portName;
    this.terminatingFallback = builder.terminatingFallback;
    this.podLabels = Set.copyOf(builder.podLabels);
    this.connectionCheck = builder.connectionCheck;
  }

  /** Starts a configuration. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    String name = serviceName != null ? serviceName : service.value();
    String source = describe(namespace == null ? "(client namespace)" : namespace, name);
    KubernetesClient owned =
        client != null
            ? null
            : inCluster
                ? Clients.inCluster(source)
                : kubeconfig != null
                    ? Clients.fromKubeconfig(source, kubeconfig)
                    : Clients.fromEnvironment();
    KubernetesClient used = client != null ? client : owned;
    String ns =
        namespace != null
            ? namespace
            : used.getNamespace() != null ? used.getNamespace() : "default";
    return new SliceWatch(
        describe(ns, name),
        service,
        used,
        owned,
        ns,
        name,
        new SliceReader(portName, terminatingFallback, podLabels),
        !podLabels.isEmpty(),
        listener,
        context.scheduler(),
        connectionCheck);
  }

  @Override
  public String describe() {
    return describe(
        namespace == null ? "(client namespace)" : namespace,
        serviceName == null ? "(mesh service)" : serviceName);
  }

  private String describe(String ns, String name) {
    return "kubernetes[" + ns + "/" + name + (portName == null ? "" : " port " + portName) + "]";
  }

  /** Collects the settings of a {@link KubernetesDiscovery}; {@link #build()} validates them. */
  public static final class Builder {
    private KubernetesClient client;
    private boolean inCluster;
    private Path kubeconfig;
    private String namespace;
    private String serviceName;
    private String portName;
    private boolean terminatingFallback;
    private final Set<String> podLabels = new LinkedHashSet<>();
    private Duration connectionCheck = Duration.ofSeconds(5);

    private Builder() {}

    /** The client to use (its owner closes it); default one from the environment per watch. */
    public Builder client(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Credentials from the pod's service account only, never a kubeconfig; see the class comment.
     */
    public Builder inCluster() {
      this.inCluster = true;
      return this;
    }

    /** Credentials from this kubeconfig file's current context only. */
    public Builder kubeconfig(Path file) {
      this.kubeconfig = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The namespace of the Kubernetes service; default the client's namespace, else {@code
     * default}.
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** The Kubernetes service's name, when it differs from the mesh service's name. */
    public Builder serviceName(String name) {
      this.serviceName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The service port to call, by name; needed when the service has several ports. */
    public Builder portName(String name) {
      this.portName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Use serving endpoints that are terminating when no endpoint is ready; default off. */
    public Builder terminatingFallback(boolean enabled) {
      this.terminatingFallback = enabled;
      return this;
    }

    /**
     * Pod labels to copy onto each endpoint (for subsets such as {@code version}); watches the
     * namespace's pods.
     */
    public Builder podLabels(String... keys) {
      podLabels.addAll(List.of(keys));
      return this;
    }

    /** How often to check that the watch is up, to report when it is not; default 5 s. */
    public Builder connectionCheck(Duration interval) {
      this.connectionCheck = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Validates and returns the source.
     *
     * @throws MeshConfigException naming the setting that is wrong
     */
    public KubernetesDiscovery build() {
      List<String> credentials = new java.util.ArrayList<>();
      if (client != null) {
        credentials.add("client(...)");
      }
      if (inCluster) {
        credentials.add("inCluster()");
      }
      if (kubeconfig != null) {
        credentials.add("kubeconfig(" + kubeconfig + ")");
      }
      if (credentials.size() > 1) {
        throw new MeshConfigException(
            "kubernetes discovery credentials",
            String.join(" and ", credentials),
            "at most one of client(...), inCluster() and kubeconfig(...)");
      }
      for (String key : podLabels) {
        if (key == null || key.isBlank()) {
          throw new MeshConfigException(
              "kubernetes discovery podLabels", podLabels, "non-blank label keys");
        }
      }
      if (connectionCheck.isNegative() || connectionCheck.isZero()) {
        throw new MeshConfigException(
            "kubernetes discovery connectionCheck", connectionCheck, "a positive duration");
      }
      if (portName != null && portName.isBlank()) {
        throw new MeshConfigException(
            "kubernetes discovery portName", portName, "a port name such as 'http'");
      }
      return new KubernetesDiscovery(this);
    }
  }
}
