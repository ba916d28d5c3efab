package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key manager offers the source's current identity, for matching key types only. */
class LiveKeyManagerTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");

  BuiltInCa ca;
  SettableSource source;
  LiveKeyManager keyManager;

  @BeforeEach
  void setUp() {
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(new ManualClock(NOW)).build();
    source = new SettableSource(ca.issue(MATHOID));
    keyManager = new LiveKeyManager(source);
  }

  @Test
  void offersTheEcIdentityOnlyForEcKeyTypes() {
    assertNotNull(keyManager.chooseServerAlias("EC", null, null));
    assertNotNull(keyManager.chooseEngineServerAlias("EC", null, (SSLEngine) null));
    assertNull(keyManager.chooseServerAlias("RSA", null, null));
    assertNull(keyManager.chooseEngineServerAlias("RSASSA-PSS", null, (SSLEngine) null));
    assertNotNull(keyManager.chooseClientAlias(new String[] {"RSA", "EC"}, null, null));
    assertNull(keyManager.chooseEngineClientAlias(new String[] {"RSA"}, null, (SSLEngine) null));
    assertNull(keyManager.chooseClientAlias(null, null, null));
    // The TLS 1.2 "key_issuer" forms: an EC leaf signed with ECDSA.
    assertNotNull(keyManager.chooseServerAlias("EC_EC", null, null));
    assertNull(keyManager.chooseServerAlias("EC_RSA", null, null));
    assertEquals(1, keyManager.getClientAliases("EC", null).length);
    assertNull(keyManager.getServerAliases("RSA", null));
  }

  @Test
  void offersAnRsaIdentityOnlyForRsa() {
    TestAuthority root = TestAuthority.root("Root", NOW);
    CertBuilder builder = root.leafBuilder(MATHOID.toString()).keys(CertBuilder.newRsaKeys(2048));
    X509Certificate leaf = builder.build();
    source.set(
        IssuedIdentity.of(
            builder.subjectKeys().getPrivate(),
            List.of(leaf),
            TrustBundle.of(DOMAIN, root.certificate())));
    String alias = keyManager.chooseServerAlias("RSA", null, null);
    assertNotNull(alias);
    assertNull(keyManager.chooseServerAlias("EC", null, null));
    assertEquals(builder.subjectKeys().getPrivate(), keyManager.getPrivateKey(alias));
  }

  @Test
  void keyAndChainAreThoseOfTheCurrentIdentity() {
    String alias = keyManager.chooseServerAlias("EC", null, null);
    assertEquals(source.current().privateKey(), keyManager.getPrivateKey(alias));
    assertArrayEquals(source.current().chain().toArray(), keyManager.getCertificateChain(alias));
    assertNull(keyManager.getPrivateKey("some-other-alias"));
    assertNull(keyManager.getCertificateChain(null));
  }

  @Test
  void aRotationBetweenChoosingAndReadingNeverMixesTwoIdentities() {
    IssuedIdentity old = source.current();
    String oldAlias = keyManager.chooseClientAlias(new String[] {"EC"}, null, null);
    IssuedIdentity renewed = ca.issue(MATHOID);
    source.set(renewed);
    // The handshake that chose before the rotation still gets the old pair, consistently.
    assertEquals(old.privateKey(), keyManager.getPrivateKey(oldAlias));
    assertArrayEquals(old.chain().toArray(), keyManager.getCertificateChain(oldAlias));
    // The next handshake gets the new one, under a new alias.
    String newAlias = keyManager.chooseClientAlias(new String[] {"EC"}, null, null);
    assertNotEquals(oldAlias, newAlias);
    assertEquals(renewed.privateKey(), keyManager.getPrivateKey(newAlias));
    assertArrayEquals(renewed.chain().toArray(), keyManager.getCertificateChain(newAlias));
    // Without a rotation, the alias stays the same.
    assertEquals(newAlias, keyManager.chooseServerAlias("EC", null, null));
  }

  @Test
  void onlyTheLastFewAliasesStayResolvable() {
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      aliases.add(keyManager.chooseServerAlias("EC", null, null));
      source.set(ca.issue(MATHOID));
    }
    assertNull(keyManager.getPrivateKey(aliases.get(0)));
    assertNotNull(keyManager.getPrivateKey(aliases.get(5)));
  }
}
