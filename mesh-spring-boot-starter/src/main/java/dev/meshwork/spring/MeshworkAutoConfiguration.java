package dev.meshwork.spring;

import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.spring.internal.MeshHealth;
import dev.meshwork.spring.internal.MeshSetup;
import dev.meshwork.spring.internal.MeshworkEndpoint;
import dev.meshwork.spring.internal.OkHttpRequestFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.client.RestClient;

/**
 * Meshwork in a Spring Boot application: one {@link Mesh} from the {@code meshwork.*} properties or
 * the document at {@code meshwork.config-location}, closed with the context; its {@link MeshOkHttp}
 * and {@link OkHttpClient}; every {@code RestClient.Builder} of the context sending through the
 * mesh (unless {@code meshwork.rest-client.enabled=false}); and, with Actuator, the {@code
 * meshwork} endpoint and health indicator. The application's {@code MeterRegistry} and {@code
 * OpenTelemetry} beans are used when present. A {@code Mesh}, {@code MeshOkHttp} or {@code
 * OkHttpClient} bean of the application's own wins.
 */
@AutoConfiguration
@EnableConfigurationProperties(MeshworkProperties.class)
public class MeshworkAutoConfiguration {

  /** The mesh, unless the application made its own. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Mesh.class)
  static class MeshConfiguration {

    @Bean
    MeshSetup meshworkSetup(ConfigurableEnvironment environment, MeshworkProperties properties) {
      return MeshSetup.read(environment, properties.configLocation());
    }

    @Bean
    Mesh meshworkMesh(
        MeshSetup setup,
        ObjectProvider<MeterRegistry> meters,
        ObjectProvider<OpenTelemetry> openTelemetry) {
      return setup.build(
          Optional.ofNullable(meters.getIfUnique()),
          Optional.ofNullable(openTelemetry.getIfUnique()));
    }

    @Bean
    MeshworkRefresher meshworkRefresher(Mesh mesh, MeshSetup setup, MeshworkProperties properties) {
      return new MeshworkRefresher(mesh, setup, setup.watch(mesh, properties.getWatchInterval()));
    }

    /** Spring Cloud's refresh, when spring-cloud-context is present. */
    @Bean
    @ConditionalOnClass(
        name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    ApplicationListener<ApplicationEvent> meshworkEnvironmentChangeListener(
        ObjectProvider<MeshworkRefresher> refresher) {
      return event -> {
        if (event
            .getClass()
            .getName()
            .equals("org.springframework.cloud.context.environment.EnvironmentChangeEvent")) {
          refresher.ifAvailable(MeshworkRefresher::refresh);
        }
      };
    }
  }

  /** Made when first used, so an application that calls later does not load OkHttp at start. */
  @Bean
  @Lazy
  @ConditionalOnMissingBean
  public MeshOkHttp meshOkHttp(Mesh mesh) {
    return MeshOkHttp.of(mesh);
  }

  @Bean
  @Lazy
  @ConditionalOnMissingBean
  public OkHttpClient meshOkHttpClient(MeshOkHttp http) {
    return http.client();
  }

  /**
   * {@code RestClient.Builder}s of the context call through the mesh, unless {@code
   * meshwork.rest-client.enabled} is false.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RestClient.class)
  @ConditionalOnProperty(
      name = "meshwork.rest-client.enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class RestClientConfiguration {
    @Bean
    static BeanPostProcessor meshworkRestClientBuilders(ObjectProvider<MeshOkHttp> http) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (bean instanceof RestClient.Builder builder) {
            MeshOkHttp mesh = http.getIfUnique();
            if (mesh != null) {
              builder.requestFactory(new OkHttpRequestFactory(mesh.client()));
            }
          }
          return bean;
        }
      };
    }
  }

  /** The {@code meshwork} endpoint and health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  static class ActuatorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    MeshworkEndpoint meshworkEndpoint(Mesh mesh) {
      return new MeshworkEndpoint(mesh);
    }

    /**
     * Named so Actuator shows it as {@code meshwork}; add it to the readiness group to gate
     * traffic.
     */
    @Bean
    @ConditionalOnMissingBean(name = "meshworkHealthIndicator")
    @Conditional(HealthAvailable.class)
    Object meshworkHealthIndicator(Mesh mesh) {
      return MeshHealth.indicator(mesh, MeshworkAutoConfiguration.class.getClassLoader());
    }
  }

  /** Actuator's health support (Boot 4's or Boot 3's package) is present. */
  static final class HealthAvailable implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return MeshHealth.available(context.getClassLoader());
    }
  }
}
