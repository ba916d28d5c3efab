package dev.meshwork.tls;

import static dev.meshwork.tls.SvidRejectedException.Reason.CN_ONLY;
import static dev.meshwork.tls.SvidRejectedException.Reason.EXPIRED;
import static dev.meshwork.tls.SvidRejectedException.Reason.INTERMEDIATE_CANNOT_SIGN;
import static dev.meshwork.tls.SvidRejectedException.Reason.INTERMEDIATE_NOT_CA;
import static dev.meshwork.tls.SvidRejectedException.Reason.INVALID_SPIFFE_ID;
import static dev.meshwork.tls.SvidRejectedException.Reason.LEAF_CAN_SIGN_CERTIFICATES;
import static dev.meshwork.tls.SvidRejectedException.Reason.LEAF_IS_CA;
import static dev.meshwork.tls.SvidRejectedException.Reason.MALFORMED_CERTIFICATE;
import static dev.meshwork.tls.SvidRejectedException.Reason.MISSING_DIGITAL_SIGNATURE;
import static dev.meshwork.tls.SvidRejectedException.Reason.MISSING_KEY_USAGE;
import static dev.meshwork.tls.SvidRejectedException.Reason.MULTIPLE_URI_SANS;
import static dev.meshwork.tls.SvidRejectedException.Reason.NOT_SPIFFE_URI;
import static dev.meshwork.tls.SvidRejectedException.Reason.NOT_YET_VALID;
import static dev.meshwork.tls.SvidRejectedException.Reason.NO_URI_SAN;
import static dev.meshwork.tls.SvidRejectedException.Reason.PATH_TOO_LONG;
import static dev.meshwork.tls.SvidRejectedException.Reason.WRONG_EXTENDED_KEY_USAGE;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.SpiffeIdRules;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The X.509-SVID rules the JDK's PKIX validator does not know: identity in exactly one URI SAN, the
 * leaf's basic constraints and key usages, and per-certificate validity against the mesh clock
 * (checked here too so the message can say which certificate and when).
 */
final class SvidChecks {
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private SvidChecks() {}

  /** The SPIFFE ID in {@code leaf}'s single URI SAN. */
  public static SpiffeId identityOf(X509Certificate leaf) throws SvidRejectedException {
    String leafName = "leaf " + Certificates.describe(leaf);
    List<String> uris;
    try {
      uris = Certificates.uriSans(leaf);
    } catch (CertificateParsingException e) {
      throw new SvidRejectedException(
          MALFORMED_CERTIFICATE, leafName + " has unreadable subject alternative names", e);
    }
    if (!Certificates.hasSubjectAltNames(leaf)) {
      String cn = commonName(leaf);
      if (cn != null) {
        throw new SvidRejectedException(
            CN_ONLY,
            leafName
                + " names its identity only in the subject CN '"
                + cn
                + "'; expected a spiffe:// URI SAN (there is no CN fallback)");
      }
      throw new SvidRejectedException(
          NO_URI_SAN, leafName + " has no subject alternative names; expected a spiffe:// URI SAN");
    }
    if (uris.isEmpty()) {
      throw new SvidRejectedException(
          NO_URI_SAN,
          leafName + " has no URI subject alternative name; expected a spiffe:// URI SAN");
    }
    if (uris.size() > 1) {
      throw new SvidRejectedException(
          MULTIPLE_URI_SANS,
          leafName + " has " + uris.size() + " URI SANs " + uris + "; expected exactly one");
    }
    String uri = uris.get(0);
    if (!uri.regionMatches(true, 0, SpiffeIdRules.PREFIX, 0, SpiffeIdRules.PREFIX.length())) {
      throw new SvidRejectedException(
          NOT_SPIFFE_URI, leafName + " has URI SAN '" + uri + "'; expected a spiffe:// URI");
    }
    SpiffeId id;
    try {
      id = SpiffeId.parse(uri);
    } catch (MeshConfigException e) {
      throw new SvidRejectedException(INVALID_SPIFFE_ID, leafName + ": " + e.getMessage(), e);
    }
    if (id.isTrustDomainId()) {
      throw new SvidRejectedException(
          INVALID_SPIFFE_ID,
          leafName
              + " has SPIFFE ID '"
              + uri
              + "' with an empty path; expected a workload ID"
              + " such as '"
              + uri
              + "/ns/default/sa/mathoid'");
    }
    return id;
  }

  /** The rules for a leaf: not a CA, digitalSignature but no signing of certificates, EKU. */
  public static void checkLeaf(X509Certificate leaf, PeerRole role) throws SvidRejectedException {
    String leafName = "leaf " + Certificates.describe(leaf);
    if (Certificates.isCa(leaf)) {
      throw new SvidRejectedException(
          LEAF_IS_CA, leafName + " has basic constraints cA=true; expected cA=false");
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage == null) {
      throw new SvidRejectedException(
          MISSING_KEY_USAGE, leafName + " has no key usage; expected digitalSignature");
    }
    if (!bit(usage, DIGITAL_SIGNATURE)) {
      throw new SvidRejectedException(
          MISSING_DIGITAL_SIGNATURE, leafName + " key usage lacks digitalSignature");
    }
    if (bit(usage, KEY_CERT_SIGN) || bit(usage, CRL_SIGN)) {
      throw new SvidRejectedException(
          LEAF_CAN_SIGN_CERTIFICATES,
          leafName
              + " key usage includes "
              + (bit(usage, KEY_CERT_SIGN) ? "keyCertSign" : "cRLSign")
              + "; expected neither keyCertSign nor cRLSign on a leaf");
    }
    List<String> purposes;
    try {
      purposes = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new SvidRejectedException(
          MALFORMED_CERTIFICATE, leafName + " has an unreadable extended key usage", e);
    }
    if (purposes != null) {
      String needed = role == PeerRole.SERVER ? Certificates.SERVER_AUTH : Certificates.CLIENT_AUTH;
      if (!purposes.contains(needed)) {
        throw new SvidRejectedException(
            WRONG_EXTENDED_KEY_USAGE,
            leafName
                + " extended key usage "
                + purposes
                + " lacks "
                + (role == PeerRole.SERVER ? "serverAuth" : "clientAuth")
                + " ("
                + needed
                + "), needed for a "
                + role.name().toLowerCase(Locale.ROOT)
                + " peer");
      }
    }
  }

  /** The rules for a certificate between the leaf and the anchor: a CA able to sign. */
  public static void checkIntermediate(X509Certificate certificate, int index)
      throws SvidRejectedException {
    String name = "intermediate #" + index + " " + Certificates.describe(certificate);
    if (!Certificates.isCa(certificate)) {
      throw new SvidRejectedException(
          INTERMEDIATE_NOT_CA, name + " has no basic constraints cA=true; expected a CA");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage != null && !bit(usage, KEY_CERT_SIGN)) {
      throw new SvidRejectedException(
          INTERMEDIATE_CANNOT_SIGN, name + " key usage lacks keyCertSign");
    }
  }

  /**
   * The anchor's basic constraints path length, which the JDK's PKIX validator does not apply to a
   * trust anchor (other verifiers such as Go's and OpenSSL's do).
   */
  public static void checkAnchorPathLength(X509Certificate anchor, int intermediates)
      throws SvidRejectedException {
    int allowed = anchor.getBasicConstraints();
    if (allowed >= 0 && intermediates > allowed) {
      throw new SvidRejectedException(
          PATH_TOO_LONG,
          "trust anchor "
              + Certificates.describe(anchor)
              + " allows "
              + allowed
              + " intermediate CAs below it; the chain has "
              + intermediates);
    }
  }

  /** Validity of {@code certificate} at {@code now}; {@code role} names it in the message. */
  public static void checkValidity(X509Certificate certificate, String role, Instant now)
      throws SvidRejectedException {
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new SvidRejectedException(
          EXPIRED,
          role
              + " "
              + Certificates.describe(certificate)
              + " expired at "
              + certificate.getNotAfter().toInstant()
              + "; now is "
              + now,
          e);
    } catch (CertificateNotYetValidException e) {
      throw new SvidRejectedException(
          NOT_YET_VALID,
          role
              + " "
              + Certificates.describe(certificate)
              + " is not valid before "
              + certificate.getNotBefore().toInstant()
              + "; now is "
              + now,
          e);
    }
  }

  private static boolean bit(boolean[] usage, int index) {
    return usage.length > index && usage[index];
  }

  private static String commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
