package dev.meshwork.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The lines a logger wrote while a test listened, for tests that count log lines. mesh-core's tests
 * bind SLF4J to {@link Provider} (no logging backend is a dependency of the module); loggers nobody
 * listens to drop everything, as with no binding at all.
 */
public final class CapturedLogs implements AutoCloseable {
  private static final Map<String, CapturedLogs> LISTENING = new ConcurrentHashMap<>();

  private final String logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private CapturedLogs(String logger) {
    this.logger = logger;
  }

  /** Records what {@code type}'s logger writes, at any level, until closed. */
  public static CapturedLogs of(Class<?> type) {
    return of(type.getName());
  }

  /** Records what the logger named {@code logger} writes (for a package-private type's logger). */
  public static CapturedLogs of(String logger) {
    CapturedLogs logs = new CapturedLogs(logger);
    LISTENING.put(logs.logger, logs);
    return logs;
  }

  /** The lines so far, each as {@code LEVEL message}. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines so far that contain {@code text}. */
  public List<String> containing(String text) {
    return lines.stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void close() {
    LISTENING.remove(logger, this);
  }

  /** Registered in META-INF/services for the test classpath. */
  public static final class Provider implements SLF4JServiceProvider {
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, Recording::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
      return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
      return "2.0.99";
    }

    @Override
    public void initialize() {}
  }

  private static final class Recording extends LegacyAbstractLogger {
    Recording(String name) {
      this.name = name;
    }

    private boolean listened() {
      return LISTENING.containsKey(name);
    }

    @Override
    public boolean isTraceEnabled() {
      return listened();
    }

    @Override
    public boolean isDebugEnabled() {
      return listened();
    }

    @Override
    public boolean isInfoEnabled() {
      return listened();
    }

    @Override
    public boolean isWarnEnabled() {
      return listened();
    }

    @Override
    public boolean isErrorEnabled() {
      return listened();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      CapturedLogs logs = LISTENING.get(name);
      if (logs != null) {
        logs.lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, arguments));
      }
    }
  }
}
