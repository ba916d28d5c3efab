package dev.meshwork.tls;

import java.security.cert.CertificateException;

/**
 * A peer's certificate chain was refused as an X.509-SVID. It is a {@link CertificateException} so
 * TLS stacks treat it as a failed handshake; {@link #reason()} tells programs why, and the message
 * tells people why, naming the certificate and the value that was wrong.
 */
public final class SvidRejectedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Why a chain was refused. Each value is one rule of the X.509-SVID standard or of PKIX. */
  public enum Reason {
    /** No certificate was presented. */
    EMPTY_CHAIN,
    /** A certificate in the chain, or the trust anchor, is past its notAfter. */
    EXPIRED,
    /** A certificate in the chain is before its notBefore. */
    NOT_YET_VALID,
    /** The chain does not lead to any anchor of the trust bundle. */
    UNTRUSTED_ROOT,
    /** A signature in the chain does not verify with its issuer's key. */
    BAD_SIGNATURE,
    /** A key or signature algorithm the JDK considers too weak (for example RSA-512, MD5). */
    WEAK_ALGORITHM,
    /** A certificate carries a critical extension the validator does not understand. */
    UNSUPPORTED_CRITICAL_EXTENSION,
    /** The chain is longer than a CA's path length constraint allows. */
    PATH_TOO_LONG,
    /** Any other PKIX failure (names that do not chain, name constraints, policies). */
    CHAIN_INVALID,
    /** A certificate could not be parsed. */
    MALFORMED_CERTIFICATE,
    /** The leaf has no subject alternative names, only a subject CN; there is no CN fallback. */
    CN_ONLY,
    /** The leaf has subject alternative names but no URI among them. */
    NO_URI_SAN,
    /** The leaf has more than one URI subject alternative name. */
    MULTIPLE_URI_SANS,
    /** The leaf's URI SAN is not a spiffe:// URI. */
    NOT_SPIFFE_URI,
    /** The leaf's URI SAN is a spiffe:// URI that breaks the SPIFFE ID rules or has no path. */
    INVALID_SPIFFE_ID,
    /** The leaf's SPIFFE ID belongs to a trust domain other than the bundle's. */
    OTHER_TRUST_DOMAIN,
    /** The leaf's SPIFFE ID is valid but not one of the accepted IDs. */
    ID_NOT_ACCEPTED,
    /** The leaf is a CA (basic constraints cA=true). */
    LEAF_IS_CA,
    /** The leaf has no key usage extension. */
    MISSING_KEY_USAGE,
    /** The leaf's key usage lacks digitalSignature. */
    MISSING_DIGITAL_SIGNATURE,
    /** The leaf's key usage includes keyCertSign or cRLSign. */
    LEAF_CAN_SIGN_CERTIFICATES,
    /** The leaf has an extended key usage without the purpose of its role in the handshake. */
    WRONG_EXTENDED_KEY_USAGE,
    /** A certificate between the leaf and the anchor is not a CA. */
    INTERMEDIATE_NOT_CA,
    /** A CA between the leaf and the anchor has a key usage without keyCertSign. */
    INTERMEDIATE_CANNOT_SIGN
  }

  private final Reason reason;

  /**
   * @param reason why the chain was refused
   * @param detail which certificate and value broke the rule
   */
  public SvidRejectedException(Reason reason, String detail) {
    super("peer certificate rejected [" + reason + "]: " + detail);
    this.reason = reason;
  }

  /** Same, keeping the lower-level exception that revealed the problem. */
  public SvidRejectedException(Reason reason, String detail, Throwable cause) {
    this(reason, detail);
    initCause(cause);
  }

  /** Why the chain was refused. */
  public Reason reason() {
    return reason;
  }
}
