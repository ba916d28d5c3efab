package dev.meshwork.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A JSSE key manager that presents whatever {@link CertificateSource#current()} holds at the moment
 * of each handshake, so a renewed or reloaded certificate is used by the next connection without
 * rebuilding any {@code SSLContext}, client or server. Connections already open keep the
 * certificate they were established with.
 *
 * <p>Each identity gets its own alias ({@code meshwork-1}, {@code meshwork-2}, ...): JSSE first
 * chooses an alias and only then asks for the key and the chain, so binding both to the alias keeps
 * them from two different identities even when a rotation happens in between. The last few aliases
 * stay resolvable for handshakes in flight.
 *
 * <p>An alias is offered only for a key type that matches the current key's algorithm ("EC" or
 * "RSA", and the legacy "EC_EC"/"EC_RSA" forms for the issuer's algorithm). The issuers a peer
 * names are not consulted: the peer's SPIFFE verification decides, and a trust bundle may hold
 * anchors a peer does not list. It does no validity check of its own; the source keeps the material
 * current.
 */
public final class LiveKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS_PREFIX = "meshwork-";
  private static final int REMEMBERED = 4;

  private final CertificateSource source;
  private volatile List<Version> versions = List.of(); // newest first, immutable
  private long generation; // guarded by this

  /** A key manager presenting {@code source}'s current identity. */
  public LiveKeyManager(CertificateSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(new String[] {keyType});
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(new String[] {keyType});
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(new String[] {keyType});
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  /** The chain of the identity {@code alias} was chosen for; null for an unknown alias. */
  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    IssuedIdentity identity = identityOf(alias);
    return identity == null ? null : identity.chain().toArray(new X509Certificate[0]);
  }

  /** The key of the identity {@code alias} was chosen for; null for an unknown alias. */
  @Override
  public PrivateKey getPrivateKey(String alias) {
    IssuedIdentity identity = identityOf(alias);
    return identity == null ? null : identity.privateKey();
  }

  @Override
  public String toString() {
    return "LiveKeyManager{" + source.describe() + "}";
  }

  /** True when a handshake asking for {@code keyType} can use {@code identity}'s key. */
  static boolean matches(String keyType, IssuedIdentity identity) {
    if (keyType == null) {
      return false;
    }
    String keyAlgorithm = identity.privateKey().getAlgorithm();
    int split = keyType.indexOf('_');
    if (split < 0) {
      return keyType.equals(keyAlgorithm);
    }
    return keyType.substring(0, split).equals(keyAlgorithm)
        && keyType.substring(split + 1).equals(issuerAlgorithm(identity.leaf()));
  }

  private static String issuerAlgorithm(X509Certificate leaf) {
    String signature = leaf.getSigAlgName().toUpperCase(Locale.ROOT);
    return signature.contains("ECDSA") ? "EC" : signature.contains("RSA") ? "RSA" : signature;
  }

  private String aliasFor(String[] keyTypes) {
    Version version = currentVersion();
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (matches(keyType, version.identity)) {
          return version.alias;
        }
      }
    }
    return null;
  }

  private Version currentVersion() {
    IssuedIdentity identity = source.current();
    List<Version> known = versions;
    if (!known.isEmpty() && known.get(0).identity == identity) {
      return known.get(0); // the hot path: no lock, no allocation
    }
    synchronized (this) {
      known = versions;
      if (!known.isEmpty() && known.get(0).identity == identity) {
        return known.get(0);
      }
      Version version = new Version(ALIAS_PREFIX + (++generation), identity);
      List<Version> next = new ArrayList<>(REMEMBERED);
      next.add(version);
      for (int i = 0; i < known.size() && next.size() < REMEMBERED; i++) {
        next.add(known.get(i));
      }
      versions = List.copyOf(next);
      return version;
    }
  }

  private IssuedIdentity identityOf(String alias) {
    if (alias == null) {
      return null;
    }
    for (Version version : versions) {
      if (version.alias.equals(alias)) {
        return version.identity;
      }
    }
    return null;
  }

  private record Version(String alias, IssuedIdentity identity) {}
}
