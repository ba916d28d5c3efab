package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verifier follows the source's trust bundle and is rebuilt only when the bundle changes. */
class LiveVerifierTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  @Test
  void followsAnchorRotationOfTheSource() throws Exception {
    BuiltInCa oldCa = BuiltInCa.builder().build();
    BuiltInCa newCa = BuiltInCa.builder().build();
    SettableSource source = new SettableSource(oldCa.issue(RESTBASE));
    LiveVerifier live = LiveVerifier.accepting(source, Set.of(MATHOID), MeshClock.system());

    SpiffeVerifier first = live.get();
    assertSame(first, live.get(), "same bundle, same verifier");
    assertEquals(MATHOID, first.verify(oldCa.issue(MATHOID).chain(), PeerRole.SERVER));

    // Step 1 of an anchor rotation: the bundle holds both anchors; a renewal with the same bundle
    // changes nothing.
    TrustBundle both = oldCa.trustBundle().with(newCa.rootCertificate());
    IssuedIdentity renewed = oldCa.issue(RESTBASE);
    source.set(IssuedIdentity.of(renewed.privateKey(), renewed.chain(), both));
    assertEquals(MATHOID, live.get().verify(newCa.issue(MATHOID).chain(), PeerRole.SERVER));

    // Step 3: the old anchor is gone, so peers still on it are refused.
    IssuedIdentity onNew = newCa.issue(RESTBASE);
    source.set(onNew);
    List<java.security.cert.X509Certificate> oldPeer = oldCa.issue(MATHOID).chain();
    SvidRejectedException refused =
        assertThrows(
            SvidRejectedException.class, () -> live.get().verify(oldPeer, PeerRole.SERVER));
    assertEquals(MATHOID, live.get().verify(newCa.issue(MATHOID).chain(), PeerRole.SERVER));
    assertEquals(
        SvidRejectedException.Reason.UNTRUSTED_ROOT, refused.reason(), refused.getMessage());
  }

  @Test
  void anEmptyAcceptedSetIsRefusedAtCreation() throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    SettableSource source = new SettableSource(ca.issue(RESTBASE));
    assertThrows(
        MeshConfigException.class,
        () -> LiveVerifier.accepting(source, Set.of(), MeshClock.system()));
    assertEquals(
        RESTBASE,
        LiveVerifier.acceptingAnyMember(source, MeshClock.system())
            .get()
            .verify(ca.issue(RESTBASE).chain(), PeerRole.CLIENT));
  }
}
