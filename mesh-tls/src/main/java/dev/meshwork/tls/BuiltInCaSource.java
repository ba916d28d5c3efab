package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.Listeners;
import dev.meshwork.tls.internal.RenewalTiming;
import dev.meshwork.tls.internal.SourceTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload identity from the {@link BuiltInCa}, renewed before it expires so a mesh on the
 * embedded CA never needs anyone to rotate anything.
 *
 * <p>The first leaf is issued by {@link Builder#build()}. Each leaf is renewed at 50% of its
 * lifetime plus a random extra of up to 10% of it (so a fleet started together spreads its
 * renewals), measured from the moment it was issued by the injected clock. The renewal runs on the
 * scheduler it is given (the mesh's background thread; without one, the source starts a daemon
 * thread of its own) and re-arms itself after each attempt. A failed renewal keeps the current
 * identity, is logged and recorded in {@link #lastError()}, and is retried after {@link
 * #DEFAULT_RETRY_INTERVAL} (or a tenth of the leaf lifetime, if shorter). Renewals are never closer
 * together than that either, which prevents a storm when the CA root is about to expire and can
 * only issue short leaves.
 *
 * <p>{@link #current()} is a volatile read: handshakes never wait for a renewal.
 *
 * <pre>{@code
 * BuiltInCaSource source = BuiltInCaSource.builder()
 *     .ca(ca).spiffeId(SpiffeId.forService(ca.trustDomain(), "default", "mathoid"))
 *     .build();
 * }</pre>
 */
public final class BuiltInCaSource implements CertificateSource {
  /** How soon a failed renewal is retried unless configured: 30 seconds. */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(BuiltInCaSource.class);

  private final BuiltInCa ca;
  private final SpiffeId spiffeId;
  private final Duration leafLifetime;
  private final SourceTimer timer;
  private final MeshClock clock;
  private final RandomGenerator random; // guarded by lock
  private final Duration retryDelay;
  private final Duration retryInterval;
  private final Listeners<IssuedIdentity> listeners;
  private final Object lock = new Object();

  private volatile IssuedIdentity current;
  private volatile Instant renewAt;
  private volatile String lastError;

  private BuiltInCaSource(Builder builder, Duration leafLifetime, RandomGenerator random) {
    this.ca = builder.ca;
    this.spiffeId = builder.spiffeId;
    this.leafLifetime = leafLifetime;
    this.timer = SourceTimer.create(builder.scheduler, "certificate-renewal");
    this.clock = builder.clock;
    this.random = random;
    Duration tenth = leafLifetime.dividedBy(10);
    this.retryDelay = tenth.compareTo(builder.retryInterval) < 0 ? tenth : builder.retryInterval;
    this.retryInterval = builder.retryInterval;
    this.listeners = new Listeners<>("built-in CA source for " + spiffeId);
  }

  /** A builder; the CA and the SPIFFE ID are required. */
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

  /** When the next renewal (or retry) is due, by the injected clock. */
  public Instant nextRenewalAt() {
    return renewAt;
  }

  /** Why the last renewal failed, while it has not succeeded since; empty otherwise. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /**
   * Renews now if {@link #nextRenewalAt()} has come, then re-arms the timer for the next one. The
   * scheduled timer calls this; tests call it after moving a manual clock. Returns true when a new
   * identity was issued (listeners have been notified), false when nothing was due, the renewal
   * failed (see {@link #lastError()}) or the source is closed.
   */
  public boolean renewIfDue() {
    synchronized (lock) {
      if (timer.isClosed() || clock.now().isBefore(renewAt)) {
        return false;
      }
      boolean renewed = renew();
      arm();
      return renewed;
    }
  }

  /** The CA that issues the leaves. */
  public BuiltInCa ca() {
    return ca;
  }

  /** The workload's identity. */
  public SpiffeId spiffeId() {
    return spiffeId;
  }

  /** The lifetime of each leaf. */
  public Duration leafLifetime() {
    return leafLifetime;
  }

  /** The retry interval as configured (renewals use at most a tenth of the leaf lifetime). */
  public Duration retryInterval() {
    return retryInterval;
  }

  @Override
  public String describe() {
    return "built-in CA source for "
        + spiffeId
        + " (trust domain '"
        + ca.trustDomain()
        + "', leaf lifetime "
        + leafLifetime
        + ", renewed at 50% of it plus up to 10% jitter,"
        + " retried every "
        + retryDelay
        + " on failure)";
  }

  @Override
  public void close() {
    synchronized (lock) {
      timer.close();
    }
  }

  @Override
  public String toString() {
    return "BuiltInCaSource{" + current + ", nextRenewalAt=" + renewAt + "}";
  }

  private void start() {
    synchronized (lock) {
      Instant issuedAt = clock.now();
      IssuedIdentity first = ca.issue(spiffeId, leafLifetime);
      current = first;
      renewAt = nextRenewal(issuedAt, first);
      log.info("Issued {} from the built-in CA; renewal at {}", first, renewAt);
      arm();
    }
  }

  private boolean renew() {
    Instant now = clock.now();
    IssuedIdentity next;
    try {
      next = ca.issue(spiffeId, leafLifetime);
    } catch (RuntimeException e) {
      IssuedIdentity kept = current;
      renewAt = now.plus(retryDelay);
      lastError =
          "renewal of "
              + spiffeId
              + " by the built-in CA failed at "
              + now
              + ": "
              + e
              + "; keeping "
              + kept
              + ", retrying at "
              + renewAt;
      log.warn(
          "Certificate renewal failed for {}; keeping the current leaf (valid until {}),"
              + " retrying at {}",
          spiffeId,
          kept.notAfter(),
          renewAt,
          e);
      return false;
    }
    current = next;
    lastError = null;
    renewAt = nextRenewal(now, next);
    log.info("Renewed {}; next renewal at {}", next, renewAt);
    listeners.publish(next);
    return true;
  }

  private Instant nextRenewal(Instant issuedAt, IssuedIdentity identity) {
    return RenewalTiming.renewalTime(
        issuedAt, identity.notAfter(), random.nextDouble(), retryDelay);
  }

  private void arm() {
    if (!timer.once(this::onTimer, Duration.between(clock.now(), renewAt)) && !timer.isClosed()) {
      log.warn(
          "The scheduler refused the renewal of {} (is the mesh closed?); {} will not be"
              + " renewed automatically",
          spiffeId,
          current);
    }
  }

  private void onTimer() {
    try {
      synchronized (lock) {
        if (timer.isClosed()) {
          return;
        }
        if (clock.now().isBefore(renewAt)) {
          arm(); // woke early (the scheduler's time and the clock may differ a little)
          return;
        }
        renew();
        arm();
      }
    } catch (RuntimeException e) {
      log.error("Unexpected failure in the renewal timer of {}", spiffeId, e);
    }
  }

  /** Collects the source's settings; {@link #build()} validates them and issues the first leaf. */
  public static final class Builder {
    private BuiltInCa ca;
    private SpiffeId spiffeId;
    private ScheduledExecutorService scheduler;
    private MeshClock clock = MeshClock.system();
    private RandomGenerator random;
    private Duration leafLifetime;
    private Duration retryInterval = DEFAULT_RETRY_INTERVAL;

    private Builder() {}

    /** The CA that issues the leaves. Required. */
    public Builder ca(BuiltInCa ca) {
      this.ca = ca;
      return this;
    }

    /** The workload's identity; must be in the CA's trust domain. Required. */
    public Builder spiffeId(SpiffeId spiffeId) {
      this.spiffeId = spiffeId;
      return this;
    }

    /**
     * Where renewals run: the mesh's background scheduler, which the source does not shut down.
     * Default: a daemon thread of the source's own, stopped by {@link #close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * The time renewals are computed with; use the CA's clock. Default {@link MeshClock#system()}.
     * The source is built before any mesh, so it keeps this clock rather than taking the mesh's.
     */
    public Builder clock(MeshClock clock) {
      this.clock = clock;
      return this;
    }

    /** The randomness for the jitter, seeded for reproducible tests. Default a fresh random. */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /** The lifetime of each leaf. Default the CA's {@link BuiltInCa#leafLifetime()}. */
    public Builder leafLifetime(Duration leafLifetime) {
      this.leafLifetime = leafLifetime;
      return this;
    }

    /**
     * How soon a failed renewal is retried, and the least time between two renewals (capped at a
     * tenth of the leaf lifetime). Default {@link #DEFAULT_RETRY_INTERVAL}.
     */
    public Builder retryInterval(Duration retryInterval) {
      this.retryInterval = retryInterval;
      return this;
    }

    /**
     * A source holding a freshly issued leaf, with its renewal scheduled.
     *
     * @throws MeshConfigException naming the missing or invalid setting, or why the CA refused
     */
    public BuiltInCaSource build() {
      if (ca == null) {
        throw new MeshConfigException("built-in CA source CA", null, "a BuiltInCa");
      }
      if (spiffeId == null
          || !spiffeId.isMemberOf(ca.trustDomain())
          || spiffeId.isTrustDomainId()) {
        throw new MeshConfigException(
            "built-in CA source SPIFFE ID",
            spiffeId,
            "a workload ID with a path in the CA's trust domain '" + ca.trustDomain() + "'");
      }
      if (clock == null) {
        throw new MeshConfigException("built-in CA source clock", null, "a MeshClock");
      }
      Duration lifetime = leafLifetime == null ? ca.leafLifetime() : leafLifetime;
      requirePositive("built-in CA source leaf lifetime", lifetime);
      requirePositive("built-in CA source retry interval", retryInterval);
      BuiltInCaSource source =
          new BuiltInCaSource(this, lifetime, random == null ? new SplittableRandom() : random);
      try {
        source.start();
      } catch (RuntimeException e) {
        source.close();
        throw e;
      }
      return source;
    }

    private static void requirePositive(String field, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new MeshConfigException(field, value, "a positive duration such as PT24H");
      }
    }
  }
}
