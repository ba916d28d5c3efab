package dev.meshwork.spring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.LiveConfig;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.config.MeshConfigSource;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ResourceUtils;

/**
 * Where the application's mesh comes from, the {@code meshwork.*} properties or the document named
 * by {@code meshwork.config-location}, and how a change to either reaches the running mesh: a file
 * through {@link LiveConfig}, properties through {@link #refresh} (the same check and the same
 * all-or-nothing {@link MeshConfigurer#apply} as a document).
 */
public final class MeshSetup {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCATION = PropertyDocument.PREFIX + ".config-location";

  private final ConfigurableEnvironment environment;
  private final Optional<String> location;
  private final MeshConfig config;
  private String applied;

  private MeshSetup(
      ConfigurableEnvironment environment,
      Optional<String> location,
      MeshConfig config,
      String applied) {
    this.environment = environment;
    this.location = location;
    this.config = config;
    this.applied = applied;
  }

  /**
   * Reads and checks the configuration: nothing is built yet.
   *
   * @throws IllegalArgumentException naming the property or the document's file, line and field
   */
  public static MeshSetup read(ConfigurableEnvironment environment, Optional<String> location) {
    PropertyDocument properties = PropertyDocument.read(environment);
    if (location.isEmpty()) {
      return new MeshSetup(environment, location, properties.compile(), properties.json());
    }
    if (!properties.isEmpty()) {
      throw new IllegalArgumentException(
          LOCATION
              + " = '"
              + location.get()
              + "' and meshwork.mesh/meshwork.services properties are both set; expected one of"
              + " them: the document, or the properties");
    }
    try {
      return new MeshSetup(environment, location, load(location.get()), "");
    } catch (ConfigDocumentException e) {
      throw new IllegalArgumentException(
          LOCATION + " = '" + location.get() + "': " + e.getMessage(), e);
    }
  }

  private static MeshConfig load(String location) {
    if (location.startsWith(ResourceUtils.CLASSPATH_URL_PREFIX)) {
      String resource = location.substring(ResourceUtils.CLASSPATH_URL_PREFIX.length());
      return MeshConfig.fromClasspath(resource.startsWith("/") ? resource.substring(1) : resource);
    }
    return MeshConfig.load(file(location));
  }

  private static Path file(String location) {
    return Path.of(
        location.startsWith(ResourceUtils.FILE_URL_PREFIX)
            ? location.substring(ResourceUtils.FILE_URL_PREFIX.length())
            : location);
  }

  /**
   * Builds the mesh, with the application's meter registry and OpenTelemetry when it has them (and
   * the document's telemetry settings otherwise).
   */
  public Mesh build(Optional<MeterRegistry> meters, Optional<OpenTelemetry> openTelemetry) {
    if (meters.isEmpty() && openTelemetry.isEmpty()) {
      return config.build();
    }
    JsonNode telemetry = effective(config).path("mesh").path("telemetry");
    Telemetry.Builder settings =
        Telemetry.builder()
            .endpointTagLimit(
                telemetry.path("endpointTagLimit").asInt(Telemetry.DEFAULT_ENDPOINT_TAG_LIMIT));
    if (meters.isPresent()) {
      settings.meterRegistry(meters.get());
    } else if (telemetry.path("metrics").asBoolean(false)) {
      settings.meterRegistry(io.micrometer.core.instrument.Metrics.globalRegistry);
    }
    if (openTelemetry.isPresent()) {
      settings.openTelemetry(openTelemetry.get());
    } else if (telemetry.path("tracing").asBoolean(false)) {
      settings.openTelemetry(GlobalOpenTelemetry.get());
    }
    Telemetry built = settings.build();
    // Through MeshConfig.build, so the mesh keeps its document's mesh-wide settings and a watched
    // document that repeats its mesh section applies.
    return config.build(builder -> builder.telemetry(built));
  }

  /** Watches a {@code file:} document, applying each settled change; empty for other sources. */
  public Optional<LiveConfig> watch(Mesh mesh, Duration interval) {
    if (location.isEmpty() || location.get().startsWith(ResourceUtils.CLASSPATH_URL_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(
        LiveConfig.watch(mesh, interval, MeshConfigSource.file(file(location.get()))));
  }

  /**
   * Re-reads the {@code meshwork.*} properties and applies them to {@code mesh} at once, all or
   * nothing; unchanged properties change nothing. A refusal (a wrong property, a change to the
   * mesh-wide section) leaves the mesh as it was and shows in its config status.
   */
  public synchronized ConfigStatus refresh(Mesh mesh) {
    if (location.isPresent()) {
      throw new IllegalStateException(
          "the mesh comes from " + LOCATION + "; a file document applies its changes itself");
    }
    PropertyDocument properties = PropertyDocument.read(environment);
    String json = properties.json();
    if (json.equals(applied)) {
      return mesh.configStatus();
    }
    MeshConfigurer configurer = MeshConfigurer.of(mesh);
    MeshConfig candidate;
    try {
      candidate = properties.compile();
    } catch (InvalidMeshPropertiesException e) {
      configurer.rejected(PropertyDocument.SOURCE, properties.version(), e.getMessage());
      return mesh.configStatus();
    }
    JsonNode running = effective(config).path("mesh");
    JsonNode wanted = effective(candidate).path("mesh");
    if (!running.equals(wanted)) {
      configurer.rejected(
          PropertyDocument.SOURCE,
          properties.version(),
          "meshwork.mesh.*: "
              + wanted
              + " where the running mesh has "
              + running
              + "; mesh-wide settings do not change live, restart to apply");
      return mesh.configStatus();
    }
    try {
      ConfigStatus status =
          configurer.apply(candidate.services(), PropertyDocument.SOURCE, properties.version());
      applied = json;
      return status;
    } catch (MeshConfigException e) {
      return mesh.configStatus(); // recorded in the status by apply
    }
  }

  private static JsonNode effective(MeshConfig config) {
    try {
      return JSON.readTree(config.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
