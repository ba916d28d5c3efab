package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.MeshThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls live sources and applies what they hold to a mesh. A read whose content (every document, by
 * name and text) differs from the last one tried is a change; it is applied once the sources have
 * read the same for a poll interval by the mesh clock, so a burst of writes applies once, at its
 * end. The first read applies at once. A change is compiled whole, its mesh-wide settings compared
 * with the running mesh's, then handed to {@link MeshConfigurer#apply}; any refusal is recorded
 * with {@link MeshConfigurer#rejected} (or by {@code apply} itself) and logged once, and the
 * running configuration stays.
 */
public final class ConfigWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.meshwork.config.LiveConfig");

  /** Reads one source's documents now. */
  @FunctionalInterface
  public interface Reader {
    List<SourceText> read() throws IOException;
  }

  private final Mesh mesh;
  private final MeshConfigurer configurer;
  private final MeshClock clock;
  private final String source;
  private final List<Reader> readers;
  private final Function<List<SourceText>, Candidate> compiler;
  private final JsonNode runningMesh;
  private final long quietNanos;
  private final ScheduledExecutorService scheduler;
  // Guarded by this (polls are serialised).
  private String lastTried;
  private String pending;
  private long pendingSince;
  private boolean closed;

  public ConfigWatch(
      Mesh mesh,
      String source,
      List<Reader> readers,
      Function<List<SourceText>, Candidate> compiler,
      JsonNode runningMesh,
      Duration pollInterval) {
    this.mesh = mesh;
    this.configurer = MeshConfigurer.of(mesh);
    this.clock = mesh.clock();
    this.source = source;
    this.readers = List.copyOf(readers);
    this.compiler = compiler;
    this.runningMesh = runningMesh.deepCopy();
    this.quietNanos = pollInterval.toNanos();
    poll(true);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(MeshThreads.named("meshwork-config"));
    scheduler.scheduleWithFixedDelay(
        this::scheduledPoll, quietNanos, quietNanos, TimeUnit.NANOSECONDS);
  }

  /** Reads the sources now, as a scheduled poll does; returns the mesh's status afterwards. */
  public ConfigStatus poll() {
    poll(false);
    return mesh.configStatus();
  }

  private void scheduledPoll() {
    try {
      poll(false);
    } catch (RuntimeException e) {
      // A poll that fails unexpectedly must not end the schedule; the next one tries again.
      LOG.warn("config source {}: poll failed: {}", source, oneLine(String.valueOf(e)));
    }
  }

  private synchronized void poll(boolean now) {
    if (closed) {
      return;
    }
    List<SourceText> texts = new ArrayList<>();
    try {
      for (Reader reader : readers) {
        texts.addAll(reader.read());
      }
    } catch (IOException | RuntimeException e) {
      String problem = "cannot be read: " + e.getMessage();
      if (!problem.equals(lastTried)) {
        lastTried = problem;
        pending = null;
        refuse("unreadable", problem);
      }
      return;
    }
    String hash = hash(texts);
    if (hash.equals(lastTried)) {
      pending = null;
      return;
    }
    long time = clock.nanoTime();
    if (!now) {
      if (!hash.equals(pending)) {
        pending = hash;
        pendingSince = time;
        return;
      }
      if (time - pendingSince < quietNanos) {
        return;
      }
    }
    pending = null;
    lastTried = hash;
    apply(texts, "sha256:" + hash.substring(0, 16));
  }

  private void apply(List<SourceText> texts, String contentVersion) {
    Candidate candidate;
    try {
      candidate = compiler.apply(texts);
    } catch (RuntimeException e) {
      refuse(contentVersion, e.getMessage());
      return;
    }
    String version = candidate.version().orElse(contentVersion);
    Optional<String> fixed = candidate.mesh().flatMap(mesh -> MeshWide.change(runningMesh, mesh));
    if (fixed.isPresent()) {
      refuse(version, fixed.get());
      return;
    }
    try {
      // The mesh logs the apply, or one WARN line when it refuses it, and records the refusal.
      configurer.apply(candidate.services(), source, version, candidate.warnings());
    } catch (MeshConfigException refused) {
      // Recorded and logged by the mesh; the running configuration stays.
    } catch (IllegalStateException meshClosed) {
      closed = true;
    }
  }

  private void refuse(String version, String error) {
    try {
      // The mesh logs this as one WARN line, so the error is made one line.
      configurer.rejected(source, version, oneLine(error));
    } catch (IllegalStateException meshClosed) {
      closed = true;
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    scheduler.shutdownNow();
  }

  private static String oneLine(String message) {
    return String.valueOf(message)
        .strip()
        .replaceAll(":\\s*\\R\\s*", ": ")
        .replaceAll("\\s*\\R\\s*", "; ");
  }

  private static String hash(List<SourceText> texts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (SourceText text : texts) {
        for (String part : List.of(text.name(), text.text())) {
          byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
          digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
          digest.update((byte) ':');
          digest.update(bytes);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
