package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.FileVersion;
import dev.meshwork.tls.internal.Listeners;
import dev.meshwork.tls.internal.SourceTimer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload identity from PEM files that the team's own PKI writes (cert-manager, Vault agent, a
 * Puppet CA, FreeIPA), picked up again whenever they change, so certificates rotate without a
 * restart.
 *
 * <ul>
 *   <li>key file: one unencrypted private key, EC or RSA (at least 2048 bits), PKCS#8 ("PRIVATE
 *       KEY"; SEC1 and PKCS#1 are read too);
 *   <li>chain file: the leaf X.509-SVID first, then any intermediates;
 *   <li>trust bundle file: one or more CA certificates, all anchors of the trust domain (several
 *       anchors let a CA be rotated without downtime).
 * </ul>
 *
 * <p>{@link Builder#build()} loads the files and refuses bad input with a {@link
 * MeshConfigException} naming the file and the reason: unreadable or missing, malformed PEM, a key
 * of the wrong type or not matching the leaf, an expired certificate, a leaf that is not an SVID,
 * or a chain that does not lead to an anchor of the bundle.
 *
 * <p>Then the files are polled on the given scheduler (the mesh's; without one, a daemon thread of
 * the source's own) every {@link #DEFAULT_POLL_INTERVAL 5 s} (configurable); a change of any file's
 * modification time, size, inode or content (SHA-256) triggers a reload. Paths are re-resolved on
 * every read, so atomic symbolic-link swaps work. A set that is half-written, inconsistent or
 * invalid never replaces the good one: the last good identity stays, {@link #lastError()} says
 * which file is wrong and why, the error is logged once, and listeners hear nothing. The next
 * change of the files is tried again.
 */
public final class PemFileSource implements CertificateSource {
  /** How often the files are checked for changes unless configured: 5 seconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(PemFileSource.class);

  private final Path keyFile;
  private final Path chainFile;
  private final Path bundleFile;
  private final TrustDomain trustDomain;
  private final MeshClock clock;
  private final Duration pollInterval;
  private final SourceTimer poller;
  private final Listeners<IssuedIdentity> listeners;
  private final Object lock = new Object();

  private volatile IssuedIdentity current;
  private volatile String lastError;
  private List<String> loadedFingerprint; // guarded by lock: the last version tried

  private PemFileSource(Builder builder) {
    this.keyFile = builder.keyFile;
    this.chainFile = builder.chainFile;
    this.bundleFile = builder.trustBundleFile;
    this.trustDomain = builder.trustDomain;
    this.clock = builder.clock;
    this.pollInterval = builder.pollInterval;
    this.poller = SourceTimer.create(builder.scheduler, "certificate-files");
    this.listeners = new Listeners<>("PEM file source " + chainFile);
  }

  /** A builder; the three files are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public IssuedIdentity current() {
    return current;
  }

  @Override
  public void addListener(Consumer<IssuedIdentity> listener) {
    listeners.add(listener);
  }

  /**
   * Why the files on disk are not in use, naming the file and the reason, while they are bad; empty
   * once a good set has loaded.
   */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /**
   * Reads the files now and loads them if they changed since the last attempt (the poller calls
   * this; so can tests and operators). Returns true when a new identity replaced the current one
   * and listeners were notified; false when nothing changed, the content is the same identity, or
   * the new files are bad (see {@link #lastError()}).
   */
  public boolean reload() {
    synchronized (lock) {
      if (poller.isClosed()) {
        return false;
      }
      FileVersion key = FileVersion.read(keyFile);
      FileVersion chain = FileVersion.read(chainFile);
      FileVersion bundle = FileVersion.read(bundleFile);
      List<String> fingerprint =
          List.of(key.fingerprint(), chain.fingerprint(), bundle.fingerprint());
      if (fingerprint.equals(loadedFingerprint)) {
        return false;
      }
      loadedFingerprint = fingerprint;
      IssuedIdentity next;
      try {
        next = PemIdentityLoader.load(key, chain, bundle, trustDomain, clock.now());
      } catch (MeshConfigException e) {
        lastError = e.getMessage();
        log.warn("Not reloading the changed PEM files; keeping {}: {}", current, e.getMessage());
        return false;
      }
      lastError = null;
      IssuedIdentity previous = current;
      if (next.equals(previous)) {
        log.debug("PEM files were touched but hold the same identity {}", next);
        return false;
      }
      if (!next.spiffeId().equals(previous.spiffeId())) {
        log.warn(
            "The PEM files now hold the identity {} instead of {}",
            next.spiffeId(),
            previous.spiffeId());
      }
      current = next;
      log.info("Reloaded {} from {}", next, chainFile);
      listeners.publish(next);
      return true;
    }
  }

  /** The private key file. */
  public Path keyFile() {
    return keyFile;
  }

  /** The chain file: the leaf, then any intermediates. */
  public Path chainFile() {
    return chainFile;
  }

  /** The trust bundle file. */
  public Path trustBundleFile() {
    return bundleFile;
  }

  /** The trust domain the leaf must be in; empty to accept the leaf's own. */
  public Optional<TrustDomain> trustDomain() {
    return Optional.ofNullable(trustDomain);
  }

  /** How often the files are checked for changes. */
  public Duration pollInterval() {
    return pollInterval;
  }

  @Override
  public String describe() {
    return "PEM files (key "
        + keyFile
        + ", chain "
        + chainFile
        + ", trust bundle "
        + bundleFile
        + (trustDomain == null ? "" : ", trust domain '" + trustDomain + "'")
        + "), checked for changes every "
        + pollInterval;
  }

  @Override
  public void close() {
    synchronized (lock) {
      poller.close();
    }
  }

  @Override
  public String toString() {
    return "PemFileSource{" + current + ", " + describe() + "}";
  }

  private void start() {
    synchronized (lock) {
      FileVersion key = FileVersion.read(keyFile);
      FileVersion chain = FileVersion.read(chainFile);
      FileVersion bundle = FileVersion.read(bundleFile);
      current = PemIdentityLoader.load(key, chain, bundle, trustDomain, clock.now());
      loadedFingerprint = List.of(key.fingerprint(), chain.fingerprint(), bundle.fingerprint());
      log.info("Loaded {} from {}", current, describe());
      if (!poller.every(this::poll, pollInterval)) {
        throw new MeshConfigException(
            "PEM file source scheduler",
            poller.scheduler(),
            "a running scheduler (it refused the file watch)");
      }
    }
  }

  private void poll() {
    try {
      reload();
    } catch (RuntimeException e) {
      // Never let an exception escape: it would cancel the periodic task for good.
      log.error("Unexpected failure while checking {}", describe(), e);
    }
  }

  /** Collects the source's settings; {@link #build()} loads the files and starts watching. */
  public static final class Builder {
    private Path keyFile;
    private Path chainFile;
    private Path trustBundleFile;
    private TrustDomain trustDomain;
    private ScheduledExecutorService scheduler;
    private MeshClock clock = MeshClock.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder() {}

    /** The private key (PKCS#8 PEM, EC or RSA). Required. */
    public Builder keyFile(Path keyFile) {
      this.keyFile = keyFile;
      return this;
    }

    /** The leaf X.509-SVID followed by any intermediates. Required. */
    public Builder chainFile(Path chainFile) {
      this.chainFile = chainFile;
      return this;
    }

    /** One or more CA certificates: the anchors peers are verified against. Required. */
    public Builder trustBundleFile(Path trustBundleFile) {
      this.trustBundleFile = trustBundleFile;
      return this;
    }

    /** The trust domain the leaf must be in. Default: the leaf's own trust domain. */
    public Builder trustDomain(TrustDomain trustDomain) {
      this.trustDomain = trustDomain;
      return this;
    }

    /**
     * Where the file watch runs: the mesh's background scheduler, which the source does not shut
     * down. Default: a daemon thread of the source's own, stopped by {@link #close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * The time expiry is checked at. Default {@link MeshClock#system()}. The source is built before
     * any mesh (and may serve the workload's own server), so it keeps this clock rather than taking
     * the mesh's.
     */
    public Builder clock(MeshClock clock) {
      this.clock = clock;
      return this;
    }

    /** How often the files are checked for changes. Default {@link #DEFAULT_POLL_INTERVAL}. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * A source holding the files' identity, watching them for changes.
     *
     * @throws MeshConfigException naming the missing setting, or the file at fault and why
     */
    public PemFileSource build() {
      requireFile(PemIdentityLoader.KEY_FILE, keyFile);
      requireFile(PemIdentityLoader.CHAIN_FILE, chainFile);
      requireFile(PemIdentityLoader.BUNDLE_FILE, trustBundleFile);
      if (clock == null) {
        throw new MeshConfigException("PEM file source clock", null, "a MeshClock");
      }
      if (pollInterval == null || pollInterval.toMillis() < 1) {
        throw new MeshConfigException(
            "PEM file source poll interval",
            pollInterval,
            "a positive duration of at least 1 ms, such as PT5S");
      }
      PemFileSource source = new PemFileSource(this);
      try {
        source.start();
      } catch (RuntimeException e) {
        source.close();
        throw e;
      }
      return source;
    }

    private static void requireFile(String field, Path path) {
      if (path == null) {
        throw new MeshConfigException("PEM file source " + field, null, "a path");
      }
    }
  }
}
