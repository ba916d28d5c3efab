package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.tls.PemFixture.Leaf;
import dev.meshwork.tls.internal.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading and hot-reloading PEM files: good rotations reach listeners, bad or half-written files
 * never replace the last good identity and are reported naming the file.
 */
class PemFileSourceTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  ManualClock clock;
  ManualScheduler scheduler;
  PemFixture pki;
  Leaf first;
  PemFileSource source;
  List<IssuedIdentity> heard;

  @BeforeEach
  void setUp() throws Exception {
    clock = new ManualClock(NOW);
    scheduler = new ManualScheduler(clock);
    pki = new PemFixture(dir, NOW);
    first = pki.write(pki.newLeaf());
    source = builder().build();
    heard = new ArrayList<>();
    source.addListener(heard::add);
  }

  PemFileSource.Builder builder() {
    return PemFileSource.builder()
        .keyFile(pki.keyFile)
        .chainFile(pki.chainFile)
        .trustBundleFile(pki.bundleFile)
        .scheduler(scheduler)
        .clock(clock);
  }

  @Test
  void loadsKeyChainAndABundleWithSeveralAnchors() {
    IssuedIdentity identity = source.current();
    assertEquals(SpiffeId.parse(PemFixture.MATHOID), identity.spiffeId());
    assertEquals(List.of(first.certificate(), pki.intermediate.certificate()), identity.chain());
    assertEquals(first.keys().getPrivate(), identity.privateKey());
    assertEquals(TrustDomain.of("example.org"), identity.trustBundle().trustDomain());
    assertEquals(
        List.of(pki.root.certificate(), pki.otherRoot.certificate()), identity.trustAnchors());
    assertTrue(source.lastError().isEmpty());
    assertTrue(source.describe().contains(pki.keyFile.toString()), source.describe());
  }

  @Test
  void rotatedFilesAreReloadedAndListenersHearOnce() throws Exception {
    Leaf second = pki.write(pki.newLeaf());
    assertTrue(source.reload());
    assertEquals(second.certificate(), source.current().leaf());
    assertEquals(second.keys().getPrivate(), source.current().privateKey());
    assertEquals(List.of(source.current()), heard);
    assertFalse(source.reload(), "unchanged files are not loaded again");
    assertEquals(1, heard.size());
  }

  @Test
  void thePollerChecksEveryFiveSecondsByDefault() throws Exception {
    assertEquals(1, scheduler.pending());
    Leaf second = pki.write(pki.newLeaf());
    scheduler.advance(Duration.ofMillis(4999));
    assertEquals(first.certificate(), source.current().leaf());
    scheduler.advance(Duration.ofMillis(1));
    assertEquals(second.certificate(), source.current().leaf());
    assertEquals(1, heard.size());
    Leaf third = pki.write(pki.newLeaf());
    scheduler.advance(Duration.ofSeconds(5));
    assertEquals(third.certificate(), source.current().leaf());
    assertEquals(2, heard.size());
    source.close();
    assertEquals(0, scheduler.pending());
  }

  @Test
  void pollIntervalIsConfigurable() throws Exception {
    source.close();
    PemFileSource fast = builder().pollInterval(Duration.ofMillis(250)).build();
    Leaf second = pki.write(pki.newLeaf());
    scheduler.advance(Duration.ofMillis(250));
    assertEquals(second.certificate(), fast.current().leaf());
  }

  @Test
  void garbageKeyFileKeepsTheLastGoodIdentityAndNamesTheFile() throws Exception {
    IssuedIdentity good = source.current();
    Files.writeString(pki.keyFile, "this is not a key\n");
    assertFalse(source.reload());
    assertSame(good, source.current());
    assertError(pki.keyFile, "found no PEM block");

    Files.writeString(
        pki.keyFile,
        "-----BEGIN PRIVATE KEY-----\n!!!!not base64!!!!\n-----END PRIVATE KEY-----\n");
    assertFalse(source.reload());
    assertSame(good, source.current());
    assertError(pki.keyFile, "malformed");
    assertEquals(List.of(), heard);
  }

  @Test
  void halfWrittenChainIsIgnoredUntilTheWriteCompletes() throws Exception {
    Leaf second = pki.newLeaf();
    String chain = Pem.certificates(List.of(second.certificate(), pki.intermediate.certificate()));
    PemFixture.writeKey(pki.keyFile, second.keys().getPrivate());
    Files.writeString(pki.chainFile, chain.substring(0, chain.length() * 3 / 4));
    assertFalse(source.reload());
    assertEquals(first.certificate(), source.current().leaf());
    assertError(pki.chainFile, "malformed");

    // Cut exactly after the leaf: valid PEM, but the intermediate is missing.
    Files.writeString(pki.chainFile, Pem.certificates(List.of(second.certificate())));
    assertFalse(source.reload());
    assertEquals(first.certificate(), source.current().leaf());
    assertError(pki.chainFile, "leads to an anchor in " + pki.bundleFile);
    assertEquals(List.of(), heard);

    Files.writeString(pki.chainFile, chain);
    assertTrue(source.reload());
    assertEquals(second.certificate(), source.current().leaf());
    assertTrue(source.lastError().isEmpty(), source.lastError().toString());
    assertEquals(1, heard.size());
  }

  @Test
  void keyThatDoesNotMatchTheChainIsRefusedUntilBothAreWritten() throws Exception {
    Leaf second = pki.newLeaf();
    // The PKI wrote the new key first; the chain still holds the old leaf.
    PemFixture.writeKey(pki.keyFile, second.keys().getPrivate());
    assertFalse(source.reload());
    assertEquals(first.keys().getPrivate(), source.current().privateKey());
    assertError(pki.keyFile, "private key of the leaf");
    assertEquals(List.of(), heard);

    pki.write(second);
    assertTrue(source.reload());
    assertEquals(second.keys().getPrivate(), source.current().privateKey());
  }

  @Test
  void aBadSetIsReportedOnceAndRetriedOnlyWhenTheFilesChangeAgain() throws Exception {
    Files.writeString(pki.bundleFile, "garbage");
    assertFalse(source.reload());
    String error = source.lastError().orElseThrow();
    assertTrue(error.contains(pki.bundleFile.toString()), error);
    assertFalse(source.reload());
    assertEquals(error, source.lastError().orElseThrow(), "still bad, still reported");
    pki.write(first);
    assertFalse(source.reload(), "the same identity as before: nothing to announce");
    assertTrue(source.lastError().isEmpty());
    assertEquals(List.of(), heard);
  }

  @Test
  void missingFileDuringANonAtomicSwapKeepsTheLastGood() throws Exception {
    Files.delete(pki.chainFile);
    assertFalse(source.reload());
    assertError(pki.chainFile, "does not exist");
    Leaf second = pki.write(pki.newLeaf());
    assertTrue(source.reload());
    assertEquals(second.certificate(), source.current().leaf());
  }

  @Test
  void touchedFilesWithTheSameContentNotifyNobody() throws Exception {
    for (Path file : List.of(pki.keyFile, pki.chainFile, pki.bundleFile)) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    }
    assertFalse(source.reload());
    assertEquals(List.of(), heard);
    assertTrue(source.lastError().isEmpty());
  }

  @Test
  void atomicSymlinkSwapsAreFollowed() throws Exception {
    // The layout of a Kubernetes secret volume: files link into ..data, a link to a version.
    source.close();
    Path v1 = Files.createDirectory(dir.resolve("..2026_03_01_v1"));
    Path v2 = Files.createDirectory(dir.resolve("..2026_03_01_v2"));
    Path data = dir.resolve("..data");
    Leaf one =
        pki.write(
            pki.newLeaf(), v1.resolve("tls.key"), v1.resolve("tls.crt"), v1.resolve("ca.crt"));
    Files.createSymbolicLink(data, v1.getFileName());
    Path mounted = Files.createDirectory(dir.resolve("mount"));
    for (String name : List.of("tls.key", "tls.crt", "ca.crt")) {
      Files.createSymbolicLink(mounted.resolve(name), Path.of("..", "..data", name));
    }
    PemFileSource linked =
        PemFileSource.builder()
            .keyFile(mounted.resolve("tls.key"))
            .chainFile(mounted.resolve("tls.crt"))
            .trustBundleFile(mounted.resolve("ca.crt"))
            .scheduler(scheduler)
            .clock(clock)
            .build();
    List<IssuedIdentity> linkedHeard = new ArrayList<>();
    linked.addListener(linkedHeard::add);
    assertEquals(one.certificate(), linked.current().leaf());

    Leaf two =
        pki.write(
            pki.newLeaf(), v2.resolve("tls.key"), v2.resolve("tls.crt"), v2.resolve("ca.crt"));
    Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    scheduler.advance(PemFileSource.DEFAULT_POLL_INTERVAL);
    assertEquals(two.certificate(), linked.current().leaf());
    assertEquals(1, linkedHeard.size());
    linked.close();
  }

  @Test
  void errorsNeverQuoteTheKey() throws Exception {
    String key = Pem.privateKey(pki.newLeaf().keys().getPrivate());
    String truncated = key.substring(0, key.length() - 40);
    Files.writeString(pki.keyFile, truncated);
    assertFalse(source.reload());
    String error = source.lastError().orElseThrow();
    for (String line : truncated.split("\n")) {
      if (!line.startsWith("-----") && line.length() > 16) {
        assertFalse(error.contains(line.substring(0, 16)), error);
      }
    }
  }

  @Test
  void rsaKeysAreAccepted() throws Exception {
    source.close();
    CertBuilder builder =
        pki.intermediate.leafBuilder(PemFixture.MATHOID).keys(CertBuilder.newRsaKeys(2048));
    X509Certificate leaf = builder.build();
    pki.write(new Leaf(leaf, builder.subjectKeys()));
    PemFileSource rsa = builder().build();
    assertEquals("RSA", rsa.current().privateKey().getAlgorithm());
    assertEquals(leaf, rsa.current().leaf());
  }

  private void assertError(Path file, String reason) {
    String error = source.lastError().orElseThrow(() -> new AssertionError("no error recorded"));
    assertTrue(error.contains(file.toString()), error);
    assertTrue(error.contains(reason), error);
  }
}
