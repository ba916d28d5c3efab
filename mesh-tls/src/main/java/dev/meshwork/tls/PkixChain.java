package dev.meshwork.tls;

import dev.meshwork.tls.SvidRejectedException.Reason;
import dev.meshwork.tls.internal.Certificates;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Runs the JDK's PKIX validator (signatures, chaining, CA constraints, path length, critical
 * extensions, algorithm constraints) with revocation off and the mesh clock's time, and turns its
 * failures into {@link SvidRejectedException} reasons.
 */
final class PkixChain {
  private PkixChain() {}

  /**
   * Validates {@code path} (leaf first, anchors already removed) against {@code bundle} at {@code
   * now} and returns the anchor it chains to.
   */
  public static X509Certificate validate(
      List<X509Certificate> path, TrustBundle bundle, Instant now) throws SvidRejectedException {
    String leaf = "leaf " + Certificates.describe(path.get(0));
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(bundle.pkixAnchors());
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      PKIXCertPathValidatorResult result =
          (PKIXCertPathValidatorResult)
              CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return result.getTrustAnchor().getTrustedCert();
    } catch (CertPathValidatorException e) {
      throw new SvidRejectedException(reasonFor(e), describe(e, path, bundle), e);
    } catch (InvalidAlgorithmParameterException | CertificateException e) {
      throw new SvidRejectedException(
          Reason.MALFORMED_CERTIFICATE, leaf + " cannot be validated: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no PKIX certificate path validator", e);
    }
  }

  private static Reason reasonFor(CertPathValidatorException e) {
    CertPathValidatorException.Reason reason = e.getReason();
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return Reason.UNTRUSTED_ROOT;
    }
    if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
      return Reason.UNSUPPORTED_CRITICAL_EXTENSION;
    }
    if (reason == PKIXReason.PATH_TOO_LONG) {
      return Reason.PATH_TOO_LONG;
    }
    if (reason == PKIXReason.NOT_CA_CERT) {
      return Reason.INTERMEDIATE_NOT_CA;
    }
    if (reason == PKIXReason.INVALID_KEY_USAGE) {
      return Reason.INTERMEDIATE_CANNOT_SIGN;
    }
    if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
      return Reason.BAD_SIGNATURE;
    }
    if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
      return Reason.WEAK_ALGORITHM;
    }
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
      return Reason.EXPIRED;
    }
    if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return Reason.NOT_YET_VALID;
    }
    return Reason.CHAIN_INVALID;
  }

  private static String describe(
      CertPathValidatorException e, List<X509Certificate> path, TrustBundle bundle) {
    int index = e.getIndex();
    String where =
        index >= 0 && index < path.size()
            ? (index == 0 ? "leaf " : "certificate #" + index + " ")
                + Certificates.describe(path.get(index))
            : "chain of leaf " + Certificates.describe(path.get(0));
    String what =
        e.getReason() == PKIXReason.NO_TRUST_ANCHOR
            ? "does not chain to any of the "
                + bundle.anchors().size()
                + " anchors of trust domain '"
                + bundle.trustDomain()
                + "' (issuer '"
                + path.get(path.size() - 1).getIssuerX500Principal().getName()
                + "')"
            : "failed PKIX validation: " + e.getMessage();
    return where + " " + what;
  }
}
