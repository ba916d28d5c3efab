package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link SpiffeVerifier} that follows a {@link CertificateSource}'s current trust bundle: when
 * the source rotates anchors, the next handshake is verified against the new bundle. The verifier
 * is rebuilt only when the bundle actually changes. Pass it to {@link MeshSslContexts} or {@link
 * SpiffeTrustManager#live}, on the client or the server side.
 *
 * <pre>{@code
 * SSLContext server = MeshSslContexts.server(source, LiveVerifier.accepting(source, Set.of(restbase), clock));
 * }</pre>
 */
public final class LiveVerifier implements Supplier<SpiffeVerifier> {
  private final CertificateSource source;
  private final Set<SpiffeId> accepted;
  private final boolean anyMember;
  private final MeshClock clock;
  private volatile SpiffeVerifier cached;

  private LiveVerifier(
      CertificateSource source, Set<SpiffeId> accepted, boolean anyMember, MeshClock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.accepted = accepted;
    this.anyMember = anyMember;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Accepts exactly the {@code accepted} IDs; at least one is required. */
  public static LiveVerifier accepting(
      CertificateSource source, Collection<SpiffeId> accepted, MeshClock clock) {
    LiveVerifier verifier = new LiveVerifier(source, Set.copyOf(accepted), false, clock);
    verifier.get(); // refuses an empty set or a bad bundle now, not at the first handshake
    return verifier;
  }

  /** Accepts any workload of the bundle's trust domain, for servers that authorize later. */
  public static LiveVerifier acceptingAnyMember(CertificateSource source, MeshClock clock) {
    LiveVerifier verifier = new LiveVerifier(source, Set.of(), true, clock);
    verifier.get();
    return verifier;
  }

  @Override
  public SpiffeVerifier get() {
    TrustBundle bundle = source.current().trustBundle();
    SpiffeVerifier current = cached;
    // Runs per call; TrustBundle.equals answers an unchanged bundle (the same instance) at once.
    if (current == null || !current.trustBundle().equals(bundle)) {
      SpiffeVerifier.Builder builder = SpiffeVerifier.builder().trustBundle(bundle).clock(clock);
      current = (anyMember ? builder.acceptAnyMember() : builder.accept(accepted)).build();
      cached = current;
    }
    return current;
  }
}
