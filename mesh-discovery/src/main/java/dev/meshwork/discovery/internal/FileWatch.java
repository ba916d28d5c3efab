package dev.meshwork.discovery.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.core.spi.FileVersion;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows one service in an endpoints file by polling its {@link FileVersion}. A new version is
 * parsed once, from the bytes that were fingerprinted; a good parse is published, a bad one
 * reported once, and the last good snapshot is republished at every poll while the file stays
 * unchanged, which keeps the health's last-good time current. Polling, rather than a file-system
 * watch service, sees the link swaps of mounted ConfigMaps and works on every file system.
 */
public final class FileWatch implements Watch {
  private final Path path;
  private final boolean yaml;
  private final String source;
  private final ServiceName service;
  private final DiscoveryListener listener;
  private final ScheduledFuture<?> polling;
  // Only the scheduler's thread touches these (one poll at a time).
  private FileVersion seen;
  private boolean missingReported;
  private EndpointSnapshot lastGood;
  private boolean currentIsGood;
  private volatile boolean closed;

  public FileWatch(
      Path path,
      boolean yaml,
      String source,
      ServiceName service,
      DiscoveryListener listener,
      ScheduledExecutorService scheduler,
      Duration interval) {
    this.path = path;
    this.yaml = yaml;
    this.source = source;
    this.service = service;
    this.listener = listener;
    this.polling =
        scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void poll() {
    if (closed) {
      return;
    }
    FileVersion version = FileVersion.read(path);
    byte[] content;
    try {
      content = version.content();
      missingReported = false;
    } catch (IOException e) {
      if (!missingReported) {
        missingReported = true;
        seen = null;
        currentIsGood = false;
        String reason =
            e instanceof NoSuchFileException
                ? "file " + path + " does not exist"
                : "cannot read " + path + ": " + e;
        listener.onError(new SourceFailure(source, service, reason, e));
      }
      return;
    }
    if (version.sameVersion(seen)) {
      if (currentIsGood) {
        listener.onSnapshot(lastGood);
      }
      return;
    }
    seen = version;
    currentIsGood = false;
    try {
      EndpointSnapshot snapshot = parse(content);
      lastGood = snapshot;
      currentIsGood = true;
      listener.onSnapshot(snapshot);
    } catch (IOException | MeshConfigException e) {
      listener.onError(
          e instanceof SourceFailure ? e : new SourceFailure(source, service, e.getMessage(), e));
    }
  }

  private EndpointSnapshot parse(byte[] content) throws IOException {
    Map<String, List<Endpoint>> services = EndpointFile.parse(path, content, yaml);
    List<Endpoint> endpoints = services.get(service.value());
    if (endpoints == null) {
      throw new SourceFailure(
          source,
          service,
          path
              + " lists no service '"
              + service
              + "' (it lists "
              + services.keySet()
              + "); keeping the last good endpoints");
    }
    return EndpointSnapshot.of(service, endpoints);
  }

  @Override
  public void close() {
    closed = true;
    polling.cancel(false);
  }
}
