package dev.meshwork.spring;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own {@code meshwork.*} settings. The mesh itself is described by {@code
 * meshwork.mesh.*} and {@code meshwork.services.*}, the sections of the mesh document (see
 * docs/config) under relaxed names, or by a document at {@link #getConfigLocation()}.
 */
@ConfigurationProperties(prefix = "meshwork")
public class MeshworkProperties {
  /**
   * A mesh document to build the mesh from instead of meshwork.mesh.* and meshwork.services.*:
   * classpath:meshwork/mesh.yaml or file:/etc/meshwork/mesh.yaml. A file is watched and its changes
   * apply live.
   */
  private String configLocation;

  /**
   * How often a file config-location is read, and how long a change must stay unchanged before it
   * applies.
   */
  private Duration watchInterval = Duration.ofSeconds(2);

  /** How the starter treats the context's {@code RestClient.Builder}s. */
  private final RestClientSettings restClient = new RestClientSettings();

  public String getConfigLocation() {
    return configLocation;
  }

  public void setConfigLocation(String configLocation) {
    this.configLocation = configLocation;
  }

  /** The config location, when one is set. */
  public Optional<String> configLocation() {
    return Optional.ofNullable(configLocation).filter(s -> !s.isBlank());
  }

  public Duration getWatchInterval() {
    return watchInterval;
  }

  public void setWatchInterval(Duration watchInterval) {
    this.watchInterval = watchInterval;
  }

  public RestClientSettings getRestClient() {
    return restClient;
  }

  /** {@code meshwork.rest-client.*}. */
  public static class RestClientSettings {
    /**
     * Whether every RestClient.Builder of the context sends through the mesh; false leaves them as
     * Spring made them.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
