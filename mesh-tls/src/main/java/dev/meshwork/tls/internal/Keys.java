package dev.meshwork.tls.internal;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** Key generation and checks. Keys are never logged or put in messages. */
public final class Keys {
  /** The JCA name of NIST P-256, the only curve the mesh issues keys on. */
  public static final String P256 = "secp256r1";

  /** The signature algorithm the built-in CA signs with. */
  public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private Keys() {}

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair newP256(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(P256), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
    }
  }

  /** True when {@code key} is an EC key on P-256 (not merely another 256-bit curve). */
  public static boolean isP256(Key key) {
    if (!(key instanceof ECKey ec)) {
      return false;
    }
    ECParameterSpec params = ec.getParams();
    ECParameterSpec p256 = p256Parameters();
    return params.getCurve().equals(p256.getCurve())
        && params.getGenerator().equals(p256.getGenerator())
        && params.getOrder().equals(p256.getOrder());
  }

  private static ECParameterSpec p256Parameters() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(P256));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not know EC P-256", e);
    }
  }

  /**
   * True when {@code privateKey} belongs to {@code publicKey}, proven by signing a random challenge
   * and verifying it.
   */
  public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
