package dev.meshwork.tls;

import java.io.IOException;
import java.util.Optional;

/**
 * A caller was refused by a {@link PeerAuthorizer}. An {@link IOException}, like every failure the
 * mesh reports, so a server handler can let it propagate; a server typically answers 403. The
 * message names the caller's SPIFFE ID (when it has one) and why it was refused.
 */
public final class PeerNotAuthorizedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a caller was refused. */
  public enum Reason {
    /** The connection carries no client certificate (the server did not require one). */
    NO_PEER_CERTIFICATE,
    /** The client certificate is not an X.509-SVID, so the caller has no SPIFFE ID. */
    NOT_AN_SVID,
    /** The caller's SPIFFE ID is neither allowed by ID nor by trust domain. */
    NOT_ALLOWED,
    /**
     * The caller's chain no longer passes the current verifier (for example its anchor was
     * removed).
     */
    UNTRUSTED
  }

  private final Reason reason;
  private final transient SpiffeId peerId;

  /**
   * @param reason why the caller was refused
   * @param peerId the caller's SPIFFE ID, or null when it has none
   * @param message which caller and which rule
   */
  public PeerNotAuthorizedException(Reason reason, SpiffeId peerId, String message) {
    super(message);
    this.reason = reason;
    this.peerId = peerId;
  }

  /** Why the caller was refused. */
  public Reason reason() {
    return reason;
  }

  /** The caller's SPIFFE ID, when it presented an SVID. */
  public Optional<SpiffeId> peerId() {
    return Optional.ofNullable(peerId);
  }
}
