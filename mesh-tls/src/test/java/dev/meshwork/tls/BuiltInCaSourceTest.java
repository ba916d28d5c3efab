package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renewal of built-in CA identities at 50% of the lifetime plus up to 10% jitter, driven by a
 * manual clock and scheduler: no sleeping, fixed seeds.
 */
class BuiltInCaSourceTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final Duration DAY = Duration.ofHours(24);

  ManualClock clock;
  ManualScheduler scheduler;
  BuiltInCa ca;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    scheduler = new ManualScheduler(clock);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  }

  BuiltInCaSource.Builder source(long seed) {
    return BuiltInCaSource.builder()
        .ca(ca)
        .spiffeId(MATHOID)
        .scheduler(scheduler)
        .clock(clock)
        .random(new SplittableRandom(seed));
  }

  /**
   * Without a scheduler the source renews on one its clock makes, so a clock moved by hand renews
   * it (before, it kept a real-time thread of its own that a test clock never reached).
   */
  @Test
  void withoutASchedulerRenewalsRunOnOneItsClockMakes() {
    SchedulingClock scheduling = new SchedulingClock(NOW);
    BuiltInCa onIt = BuiltInCa.builder().trustDomain(DOMAIN).clock(scheduling).build();
    try (BuiltInCaSource source =
        BuiltInCaSource.builder()
            .ca(onIt)
            .spiffeId(MATHOID)
            .clock(scheduling)
            .random(new SplittableRandom(1))
            .build()) {
      IssuedIdentity first = source.current();
      scheduling.scheduler.advance(Duration.ofHours(15)); // past 50% + 10% of 24 h
      assertNotEquals(first, source.current(), "renewed on the clock's scheduler");
      assertEquals(NOW.plus(Duration.ofHours(15)), scheduling.now());
    }
    assertEquals(0, scheduling.scheduler.pending(), "closing the source cancels its timer");
  }

  @Test
  void buildIssuesALeafAndArmsOneTimerAtHalfTheLifetimePlusJitter() {
    BuiltInCaSource source = source(1).build();
    IssuedIdentity identity = source.current();
    assertEquals(MATHOID, identity.spiffeId());
    assertEquals(NOW.plus(DAY), identity.notAfter());
    assertEquals(ca.trustBundle(), identity.trustBundle());
    assertWithin(source.nextRenewalAt(), NOW, identity.notAfter());
    assertEquals(1, scheduler.pending());
    assertEquals(Duration.between(NOW, source.nextRenewalAt()), scheduler.nextDelay());
  }

  @Test
  void renewIfDueRenewsOnlyOnceTheRenewalTimeHasCome() {
    BuiltInCaSource source = source(2).build();
    List<IssuedIdentity> heard = new ArrayList<>();
    source.addListener(heard::add);
    IssuedIdentity first = source.current();
    Instant due = source.nextRenewalAt();

    clock.advance(Duration.between(NOW, due).minusMillis(1));
    assertFalse(source.renewIfDue());
    assertSame(first, source.current());
    assertEquals(List.of(), heard);

    clock.advance(Duration.ofMillis(1));
    assertTrue(source.renewIfDue());
    IssuedIdentity second = source.current();
    assertNotEquals(first.leaf().getSerialNumber(), second.leaf().getSerialNumber());
    assertNotEquals(first.privateKey(), second.privateKey());
    assertEquals(List.of(second), heard);
    assertEquals(seconds(due.plus(DAY)), second.notAfter());
    // Re-armed from the new leaf's issuance, with exactly one timer left.
    assertWithin(source.nextRenewalAt(), due, second.notAfter());
    assertEquals(1, scheduler.pending());
    assertFalse(source.renewIfDue());
  }

  @Test
  void scheduledRenewalsKeepTheIdentityValidAcrossFiveLifetimes() {
    List<Instant> renewals = renewalTimes(3, Duration.ofDays(5));
    // Each interval is 12 h to 14.4 h (less up to a second: validity has whole seconds), so
    // 120 h hold between 8 and 10 renewals.
    assertTrue(renewals.size() >= 8 && renewals.size() <= 10, renewals.toString());
    Instant previous = NOW;
    for (Instant renewal : renewals) {
      Duration interval = Duration.between(previous, renewal);
      assertTrue(
          interval.compareTo(Duration.ofHours(12).minusSeconds(1)) >= 0, interval.toString());
      assertTrue(interval.compareTo(Duration.ofMinutes(864)) <= 0, interval.toString());
      previous = renewal;
    }
    // The same seed gives the same schedule; another seed another one.
    assertEquals(renewals, renewalTimes(3, Duration.ofDays(5)));
    assertNotEquals(renewals, renewalTimes(4, Duration.ofDays(5)));
  }

  private List<Instant> renewalTimes(long seed, Duration span) {
    ManualClock runClock = new ManualClock(NOW);
    ManualScheduler runScheduler = new ManualScheduler(runClock);
    BuiltInCa runCa = BuiltInCa.builder().trustDomain(DOMAIN).clock(runClock).build();
    BuiltInCaSource source =
        BuiltInCaSource.builder()
            .ca(runCa)
            .spiffeId(MATHOID)
            .scheduler(runScheduler)
            .clock(runClock)
            .random(new SplittableRandom(seed))
            .build();
    List<Instant> renewals = new ArrayList<>();
    AtomicReference<IssuedIdentity> previous = new AtomicReference<>(source.current());
    source.addListener(
        identity -> {
          Instant now = runClock.now();
          assertTrue(
              now.isBefore(previous.get().notAfter()), "renewed only after expiry at " + now);
          assertEquals(seconds(now.plus(DAY)), identity.notAfter());
          previous.set(identity);
          renewals.add(now);
        });
    runScheduler.advance(span);
    assertSame(previous.get(), source.current());
    assertEquals(1, runScheduler.pending(), "exactly one renewal timer stays armed");
    return renewals;
  }

  @Test
  void shortLivedLeavesAreRotatedManyTimesWithoutAStorm() {
    BuiltInCaSource source = source(5).leafLifetime(Duration.ofSeconds(10)).build();
    List<IssuedIdentity> heard = new ArrayList<>();
    source.addListener(heard::add);
    scheduler.advance(Duration.ofMinutes(10));
    // Lifetimes of 9 to 10 s (validity has whole seconds): every 4.5 to 6 s over 600 s.
    assertTrue(heard.size() >= 100 && heard.size() <= 134, "renewals: " + heard.size());
    assertTrue(source.current().notAfter().isAfter(clock.now()));
  }

  @Test
  void jitterIsZeroToTenPercentOfTheLifetime() {
    assertEquals(NOW.plus(Duration.ofHours(12)), fixedJitter(0.0).nextRenewalAt());
    Instant latest = fixedJitter(Math.nextDown(1.0)).nextRenewalAt();
    assertTrue(!latest.isAfter(NOW.plus(Duration.ofMinutes(864))), latest.toString());
    assertTrue(latest.isAfter(NOW.plus(Duration.ofMinutes(863))), latest.toString());
    assertEquals(NOW.plus(Duration.ofMinutes(792)), fixedJitter(0.5).nextRenewalAt());

    // With a real generator, 50 renewals stay in bounds and actually spread.
    BuiltInCaSource source = source(6).build();
    Duration min = DAY;
    Duration max = Duration.ZERO;
    for (int i = 0; i < 50; i++) {
      Instant issued = clock.now();
      Duration offset = Duration.between(issued, source.nextRenewalAt());
      assertWithin(source.nextRenewalAt(), issued, source.current().notAfter());
      min = offset.compareTo(min) < 0 ? offset : min;
      max = offset.compareTo(max) > 0 ? offset : max;
      clock.advance(offset);
      assertTrue(source.renewIfDue());
    }
    assertTrue(max.minus(min).compareTo(Duration.ofMinutes(100)) > 0, min + " .. " + max);
  }

  private BuiltInCaSource fixedJitter(double value) {
    RandomGenerator fixed =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new AssertionError("only nextDouble is used");
          }

          @Override
          public double nextDouble() {
            return value;
          }
        };
    return source(0).random(fixed).build();
  }

  @Test
  void failedRenewalKeepsTheIdentityRetriesSoonAndRecovers() {
    AtomicReference<Duration> caSkew = new AtomicReference<>(Duration.ZERO);
    MeshClock caClock =
        new MeshClock() {
          @Override
          public long nanoTime() {
            return clock.nanoTime();
          }

          @Override
          public Instant now() {
            return clock.now().plus(caSkew.get());
          }
        };
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(caClock).build();
    BuiltInCaSource source = source(7).build();
    IssuedIdentity first = source.current();
    List<IssuedIdentity> heard = new ArrayList<>();
    source.addListener(heard::add);

    caSkew.set(Duration.ofDays(3651)); // the CA now believes its root has expired
    Duration untilDue = Duration.between(clock.now(), source.nextRenewalAt());
    scheduler.advance(untilDue);
    assertSame(first, source.current());
    assertEquals(List.of(), heard);
    String error = source.lastError().orElseThrow();
    assertTrue(error.contains(MATHOID.toString()) && error.contains("expired"), error);
    assertEquals(clock.now().plus(BuiltInCaSource.DEFAULT_RETRY_INTERVAL), source.nextRenewalAt());
    assertEquals(1, scheduler.pending());

    scheduler.advance(Duration.ofSeconds(30)); // the retry fails again and re-arms
    assertSame(first, source.current());
    assertEquals(clock.now().plus(Duration.ofSeconds(30)), source.nextRenewalAt());

    caSkew.set(Duration.ZERO);
    scheduler.advance(Duration.ofSeconds(30));
    assertEquals(1, heard.size());
    assertSame(heard.get(0), source.current());
    assertEquals(seconds(clock.now().plus(DAY)), source.current().notAfter());
    assertTrue(source.lastError().isEmpty());
    assertWithin(source.nextRenewalAt(), clock.now(), source.current().notAfter());
  }

  @Test
  void retryIntervalIsAtMostATenthOfTheLeafLifetime() {
    AtomicReference<Duration> caSkew = new AtomicReference<>(Duration.ZERO);
    ca =
        BuiltInCa.builder()
            .trustDomain(DOMAIN)
            .clock(
                new MeshClock() {
                  @Override
                  public long nanoTime() {
                    return clock.nanoTime();
                  }

                  @Override
                  public Instant now() {
                    return clock.now().plus(caSkew.get());
                  }
                })
            .build();
    BuiltInCaSource source = source(8).leafLifetime(Duration.ofSeconds(10)).build();
    caSkew.set(Duration.ofDays(3651));
    scheduler.advance(Duration.between(clock.now(), source.nextRenewalAt()));
    assertTrue(source.lastError().isPresent());
    assertEquals(Duration.ofSeconds(1), scheduler.nextDelay());
  }

  @Test
  void closeCancelsTheTimerAndStopsRenewals() {
    BuiltInCaSource source = source(9).build();
    IssuedIdentity first = source.current();
    source.close();
    assertEquals(0, scheduler.pending());
    clock.advance(Duration.ofDays(2));
    assertFalse(source.renewIfDue());
    assertSame(first, source.current());
    source.close(); // idempotent
  }

  @Test
  void withoutASchedulerTheSourceRunsItsOwnDaemonThread() {
    BuiltInCaSource source =
        BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).clock(clock).build();
    try {
      assertEquals(MATHOID, source.current().spiffeId());
      assertTrue(source.describe().contains(MATHOID.toString()), source.describe());
    } finally {
      source.close();
    }
  }

  @Test
  void buildRefusesMissingOrInconsistentSettings() {
    MeshConfigException noCa =
        assertThrows(
            MeshConfigException.class, () -> BuiltInCaSource.builder().spiffeId(MATHOID).build());
    assertEquals("built-in CA source CA", noCa.field());
    SpiffeId foreign = SpiffeId.forService(TrustDomain.of("other.org"), "default", "mathoid");
    MeshConfigException wrongDomain =
        assertThrows(MeshConfigException.class, () -> source(0).spiffeId(foreign).build());
    assertEquals(foreign.toString(), wrongDomain.value());
    assertTrue(wrongDomain.getMessage().contains("example.org"), wrongDomain.getMessage());
    MeshConfigException badRetry =
        assertThrows(
            MeshConfigException.class, () -> source(0).retryInterval(Duration.ZERO).build());
    assertEquals("built-in CA source retry interval", badRetry.field());
    assertEquals(0, scheduler.pending(), "a refused build arms nothing");
  }

  /** X.509 validity has whole seconds. */
  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  /** {@code renewAt} lies between 50% and 60% of the lifetime from {@code issued}. */
  private static void assertWithin(Instant renewAt, Instant issued, Instant notAfter) {
    Duration lifetime = Duration.between(issued, notAfter);
    Instant earliest = issued.plus(lifetime.dividedBy(2));
    Instant latest = issued.plus(lifetime.multipliedBy(6).dividedBy(10));
    assertTrue(
        !renewAt.isBefore(earliest) && !renewAt.isAfter(latest),
        renewAt + " is not within [" + earliest + ", " + latest + "]");
  }
}
