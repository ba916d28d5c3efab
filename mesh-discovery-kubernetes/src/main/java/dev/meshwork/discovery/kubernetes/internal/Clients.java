package dev.meshwork.discovery.kubernetes.internal;

import dev.meshwork.core.exception.MeshConfigException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the clients a {@code KubernetesDiscovery} makes for itself. The settings are read where
 * fabric8's own auto-configuration reads them (a system property, else the environment variable of
 * the same meaning), so a deployment configures both the same way.
 */
public final class Clients {
  private Clients() {}

  /** fabric8's default: the kubeconfig when there is one, else the pod's service account. */
  public static KubernetesClient fromEnvironment() {
    return new KubernetesClientBuilder().build();
  }

  /**
   * The current context of {@code kubeconfig}; fabric8 re-reads the file when a call gets a 401.
   */
  public static KubernetesClient fromKubeconfig(String source, Path kubeconfig) {
    if (!Files.isReadable(kubeconfig)) {
      throw new MeshConfigException(
          source + " kubeconfig", kubeconfig, "a readable kubeconfig file");
    }
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
        .build();
  }

  /**
   * The pod's service account only: the API server at {@code KUBERNETES_SERVICE_HOST:PORT} over TLS
   * (or {@code kubernetes.master}), trusted through the account's {@code ca.crt}, and the account's
   * token, read from its file for every request (the kubelet rotates projected tokens; a cached one
   * would expire).
   */
  public static KubernetesClient inCluster(String source) {
    String host = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_HOST_PROPERTY);
    String port = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_PORT_PROPERTY);
    // fabric8's in-cluster configuration lets kubernetes.master override the service address; so
    // does this.
    String master = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    if (master == null && (host == null || port == null)) {
      throw new MeshConfigException(
          source + " inCluster",
          "KUBERNETES_SERVICE_HOST=" + host + ", KUBERNETES_SERVICE_PORT=" + port,
          "both set, as Kubernetes does in every pod");
    }
    Path token =
        Path.of(
            Utils.getSystemPropertyOrEnvVar(
                Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY,
                Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH));
    String ca =
        Utils.getSystemPropertyOrEnvVar(
            Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY,
            Config.KUBERNETES_SERVICE_ACCOUNT_CA_CRT_PATH);
    ConfigBuilder config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(
                master != null
                    ? master
                    : "https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port)
            .withOauthTokenProvider(new TokenFile(source, token));
    if (Files.isRegularFile(Path.of(ca))) {
      config.withCaCertFile(ca);
    }
    Path namespace =
        Path.of(
            Utils.getSystemPropertyOrEnvVar(
                Config.KUBERNETES_NAMESPACE_FILE, Config.KUBERNETES_NAMESPACE_PATH));
    if (Files.isReadable(namespace)) {
      try {
        config.withNamespace(Files.readString(namespace).strip());
      } catch (IOException unreadable) {
        // No namespace from the pod: the discovery's own namespace, else "default", applies.
      }
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  /** Reads the token for each request; the error names the file, never the token. */
  private record TokenFile(String source, Path file) implements OAuthTokenProvider {
    @Override
    public String getToken() {
      try {
        return Files.readString(file).strip();
      } catch (IOException e) {
        throw new KubernetesClientException(
            source + ": the service account token file " + file + " could not be read: " + e);
      }
    }
  }
}
