package dev.meshwork.spring.internal;

import dev.meshwork.config.MeshConfig;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Takes the slow first steps of a mesh off the context's main thread while the application starts:
 * loading the document schema and the checker behind it, and OkHttp's classes. Spring Boot's own
 * {@code BackgroundPreinitializer} does the same for its libraries, and this one honours its switch
 * ({@code -Dspring.backgroundpreinitializer.ignore=true}) and, like it, stays off on one core. It
 * also stays off when the application excludes the starter's auto-configuration. Nothing it makes
 * is kept; a failure here only leaves the work to the main thread.
 */
public final class MeshPreinitializer
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
  private static final String DOCUMENT =
      "{\"apiVersion\":\"meshwork.dev/v1alpha1\",\"kind\":\"Mesh\",\"services\":{\"warm-up\":"
          + "{\"discovery\":{\"static\":[\"127.0.0.1:1\"]},\"timeouts\":{\"overall\":\"1s\"}}}}";

  /** Once per JVM: the event comes again for every context (a bootstrap context, tests). */
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    String excluded = event.getEnvironment().getProperty("spring.autoconfigure.exclude", "");
    if (Boolean.getBoolean("spring.backgroundpreinitializer.ignore")
        || Runtime.getRuntime().availableProcessors() < 2
        || excluded.contains("dev.meshwork.spring.MeshworkAutoConfiguration")
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(MeshPreinitializer::warmUp, "meshwork-preinitializer");
    thread.setDaemon(true);
    thread.start();
  }

  private static void warmUp() {
    try {
      MeshConfig.parse(DOCUMENT, "meshwork-warm-up.json");
      new OkHttpClient.Builder().build();
    } catch (RuntimeException | LinkageError e) {
      // The main thread does the same work and reports its own failure.
    }
  }
}
