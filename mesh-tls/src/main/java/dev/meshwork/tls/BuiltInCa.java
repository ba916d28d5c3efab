package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.CaFileChecks;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.Keys;
import dev.meshwork.tls.internal.OwnerOnlyFiles;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small certificate authority inside the process, so a mesh has mutual TLS without anyone running
 * a PKI: an ECDSA P-256 root that issues workload X.509-SVIDs.
 *
 * <p>Every issued leaf has exactly one URI SAN (its SPIFFE ID), basic constraints cA=false
 * (critical), key usage digitalSignature (critical), extended key usage serverAuth and clientAuth,
 * subject and authority key identifiers and a random 128-bit serial. Defaults: trust domain {@link
 * TrustDomain#DEFAULT cluster.local}, root lifetime {@link #DEFAULT_ROOT_LIFETIME} (10 years), leaf
 * lifetime {@link #DEFAULT_LEAF_LIFETIME} (24 hours), the system clock.
 *
 * <p>Keys stay in memory unless the CA is {@link #saveTo saved}: then {@code ca.pem} holds the root
 * and {@code ca-key.pem} its key, readable by the owner only. Thread-safe and immutable.
 *
 * <pre>{@code
 * BuiltInCa ca = BuiltInCa.builder().trustDomain(TrustDomain.of("example.org")).build();
 * IssuedIdentity mathoid = ca.issue(SpiffeId.forService(ca.trustDomain(), "default", "mathoid"));
 * }</pre>
 */
public final class BuiltInCa {
  /** How long a new root is valid unless configured: 10 years. */
  public static final Duration DEFAULT_ROOT_LIFETIME = Duration.ofDays(3650);

  /** How long an issued leaf is valid unless configured: 24 hours (renewed at half of it). */
  public static final Duration DEFAULT_LEAF_LIFETIME = Duration.ofHours(24);

  /**
   * How far notBefore is set before "now" on every certificate, so a peer whose clock is a little
   * behind ours does not reject a certificate issued a moment ago.
   */
  public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(1);

  /** The root certificate's file name in a CA directory. */
  public static final String CERTIFICATE_FILE = "ca.pem";

  /** The root key's file name in a CA directory; created with permissions rw------- . */
  public static final String KEY_FILE = "ca-key.pem";

  private static final Logger log = LoggerFactory.getLogger(BuiltInCa.class);

  private final TrustDomain trustDomain;
  private final X509Certificate root;
  private final PrivateKey rootKey;
  private final TrustBundle trustBundle;
  private final Duration leafLifetime;
  private final MeshClock clock;
  private final SecureRandom random;
  private final Path directory;

  private BuiltInCa(
      Builder builder,
      TrustDomain trustDomain,
      X509Certificate root,
      PrivateKey key,
      Path directory) {
    this.directory = directory;
    this.trustDomain = trustDomain;
    this.root = root;
    this.rootKey = key;
    this.trustBundle = TrustBundle.of(trustDomain, root);
    this.leafLifetime = builder.leafLifetime;
    this.clock = builder.clock;
    this.random = builder.random;
  }

  /** A builder with the defaults listed in the type's documentation. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The directory the CA was loaded from ({@link Builder#load}, {@link Builder#loadOrCreate});
   * empty for a CA that only lives in memory.
   */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** The trust domain this CA issues identities in. */
  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** The self-signed root, which peers put in their trust bundle. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** A trust bundle holding just this CA's root. */
  public TrustBundle trustBundle() {
    return trustBundle;
  }

  /** The lifetime of leaves issued by {@link #issue(SpiffeId)}. */
  public Duration leafLifetime() {
    return leafLifetime;
  }

  /** A new key pair and leaf for {@code id}, valid for {@link #leafLifetime()}. */
  public IssuedIdentity issue(SpiffeId id) {
    return issue(id, leafLifetime);
  }

  /**
   * A new key pair and leaf for {@code id}, valid for {@code lifetime} from now (never past the
   * root's own expiry). Refuses IDs of another trust domain and the trust domain's own ID.
   */
  public IssuedIdentity issue(SpiffeId id, Duration lifetime) {
    if (id == null || !id.isMemberOf(trustDomain) || id.isTrustDomainId()) {
      throw new MeshConfigException(
          "SPIFFE ID to issue",
          id,
          "a workload ID with a path in trust domain '" + trustDomain + "'");
    }
    requirePositive("leaf lifetime", lifetime);
    Instant now = clock.now();
    Instant notAfter = now.plus(lifetime);
    Instant rootNotAfter = root.getNotAfter().toInstant();
    if (notAfter.isAfter(rootNotAfter)) {
      log.warn("Leaf for {} clamped to the CA root's expiry {}", id, rootNotAfter);
      notAfter = rootNotAfter;
    }
    if (!now.isBefore(notAfter)) {
      throw new MeshConfigException(
          "built-in CA root",
          Certificates.describe(root),
          "a root valid now (it expired at " + rootNotAfter + ")");
    }
    KeyPair keys = Keys.newP256(random);
    X509Certificate leaf =
        SvidIssuance.leaf(
            keys.getPublic(),
            id,
            root,
            rootKey,
            SvidIssuance.randomSerial(random),
            now.minus(CLOCK_SKEW_ALLOWANCE),
            notAfter);
    return IssuedIdentity.of(keys.getPrivate(), List.of(leaf), trustBundle);
  }

  /**
   * Writes {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} into {@code directory} (created if
   * missing, owner-only). Each file is replaced atomically; the key file never exists with wider
   * permissions than rw------- .
   *
   * @throws MeshConfigException when an existing {@code directory} is not owned by the current user
   *     or is writable by group or others (on POSIX file systems)
   */
  public void saveTo(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
    CaFileChecks.requirePrivateDirectory(directory);
    OwnerOnlyFiles.write(
        directory.resolve(KEY_FILE),
        Pem.privateKey(rootKey).getBytes(StandardCharsets.US_ASCII),
        OwnerOnlyFiles.OWNER_ONLY);
    OwnerOnlyFiles.write(
        directory.resolve(CERTIFICATE_FILE),
        Pem.certificates(List.of(root)).getBytes(StandardCharsets.US_ASCII),
        OwnerOnlyFiles.WORLD_READABLE);
    log.info(
        "Saved built-in CA {} for trust domain {} to {}",
        Certificates.describe(root),
        trustDomain,
        directory);
  }

  @Override
  public String toString() {
    return "BuiltInCa{"
        + trustDomain
        + ", root "
        + Certificates.describe(root)
        + ", notAfter="
        + root.getNotAfter().toInstant()
        + ", leafLifetime="
        + leafLifetime
        + "}";
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new MeshConfigException(field, value, "a positive duration such as PT24H");
    }
  }

  /** Collects a CA's settings; {@link #build()} creates a new root, {@link #load} reads one. */
  public static final class Builder {
    private TrustDomain trustDomain;
    private Duration rootLifetime = DEFAULT_ROOT_LIFETIME;
    private Duration leafLifetime = DEFAULT_LEAF_LIFETIME;
    private MeshClock clock = MeshClock.system();
    private SecureRandom random = new SecureRandom();

    private Builder() {}

    /** The trust domain to issue in. Default {@link TrustDomain#DEFAULT cluster.local}. */
    public Builder trustDomain(TrustDomain trustDomain) {
      this.trustDomain = trustDomain;
      return this;
    }

    /** How long a newly created root is valid. Default {@link #DEFAULT_ROOT_LIFETIME}. */
    public Builder rootLifetime(Duration rootLifetime) {
      this.rootLifetime = rootLifetime;
      return this;
    }

    /** How long issued leaves are valid. Default {@link #DEFAULT_LEAF_LIFETIME}. */
    public Builder leafLifetime(Duration leafLifetime) {
      this.leafLifetime = leafLifetime;
      return this;
    }

    /** Where "now" comes from for validity periods. Default {@link MeshClock#system()}. */
    public Builder clock(MeshClock clock) {
      this.clock = clock;
      return this;
    }

    /** The randomness for keys and serials. Default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /** A CA with a new root key, created now; or {@link MeshConfigException} on bad settings. */
    public BuiltInCa build() {
      validate();
      requirePositive("root lifetime", rootLifetime);
      if (leafLifetime.compareTo(rootLifetime) > 0) {
        throw new MeshConfigException(
            "leaf lifetime", leafLifetime, "at most the root lifetime " + rootLifetime);
      }
      TrustDomain domain = trustDomain == null ? TrustDomain.DEFAULT : trustDomain;
      Instant now = clock.now();
      KeyPair keys = Keys.newP256(random);
      X509Certificate root =
          SvidIssuance.root(
              keys,
              domain,
              SvidIssuance.randomSerial(random),
              now.minus(CLOCK_SKEW_ALLOWANCE),
              now.plus(rootLifetime));
      log.info("Created built-in CA {} for trust domain {}", Certificates.describe(root), domain);
      return new BuiltInCa(this, domain, root, keys.getPrivate(), null);
    }

    /**
     * A CA read from {@code directory} ({@value #CERTIFICATE_FILE} and {@value #KEY_FILE}). The
     * trust domain comes from the root's URI SAN and must match {@link #trustDomain} if that was
     * set; the root lifetime setting is not used.
     *
     * @throws MeshConfigException naming the file when its content is unusable, or, on POSIX file
     *     systems, naming the directory or file, the owner and permissions found and what is
     *     expected, when the directory or certificate file is not owned by the current user or is
     *     writable by group or others, or the key file is not owned by the current user or grants
     *     group or others any access (on other file systems only the owner is checked, and a
     *     warning says so)
     * @throws IOException when a file cannot be read
     */
    public BuiltInCa load(Path directory) throws IOException {
      validate();
      Path certificateFile = directory.resolve(CERTIFICATE_FILE);
      Path keyFile = directory.resolve(KEY_FILE);
      List<X509Certificate> certificates =
          Pem.readCertificates(certificateFile, "CA certificate file");
      if (certificates.size() != 1) {
        throw new MeshConfigException(
            "CA certificate file",
            certificateFile,
            "exactly one certificate, the root (found " + certificates.size() + ")");
      }
      X509Certificate root = certificates.get(0);
      Instant now = clock.now();
      if (!now.isBefore(root.getNotAfter().toInstant())) {
        throw new MeshConfigException(
            "CA certificate file",
            certificateFile,
            "a root that is still valid ("
                + Certificates.describe(root)
                + " expired at "
                + root.getNotAfter().toInstant()
                + "; now is "
                + now
                + ")");
      }
      if (!Certificates.isCa(root)) {
        throw new MeshConfigException(
            "CA certificate file",
            certificateFile,
            "a CA certificate (basic constraints cA=true) but "
                + Certificates.describe(root)
                + " is not one");
      }
      PrivateKey key = Pem.readPrivateKey(keyFile, "CA key file");
      if (!Keys.isP256(key)) {
        throw new MeshConfigException(
            "CA key file",
            keyFile,
            "an EC P-256 private key (found "
                + key.getAlgorithm()
                + (key instanceof ECKey ? " on another curve" : "")
                + ")");
      }
      if (!Keys.matches(key, root.getPublicKey())) {
        throw new MeshConfigException(
            "CA key file",
            keyFile,
            "the private key of " + Certificates.describe(root) + " in " + certificateFile);
      }
      CaFileChecks.requirePrivateDirectory(directory);
      CaFileChecks.requireUnmodifiableByOthers(certificateFile);
      CaFileChecks.requireOwnerOnly(keyFile);
      TrustDomain domain = trustDomainOf(root, certificateFile);
      return new BuiltInCa(this, domain, root, key, directory);
    }

    /** {@link #load} when {@code directory} holds a CA, else {@link #build} and save it there. */
    public BuiltInCa loadOrCreate(Path directory) throws IOException {
      if (Files.exists(directory.resolve(CERTIFICATE_FILE))
          || Files.exists(directory.resolve(KEY_FILE))) {
        return load(directory);
      }
      BuiltInCa ca = build();
      ca.saveTo(directory);
      return new BuiltInCa(this, ca.trustDomain, ca.root, ca.rootKey, directory);
    }

    private void validate() {
      requirePositive("leaf lifetime", leafLifetime);
      if (clock == null) {
        throw new MeshConfigException("CA clock", null, "a MeshClock");
      }
      if (random == null) {
        throw new MeshConfigException("CA random", null, "a SecureRandom");
      }
    }

    private TrustDomain trustDomainOf(X509Certificate root, Path file) {
      TrustDomain fromRoot = null;
      try {
        List<String> uris = Certificates.uriSans(root);
        if (uris.size() == 1) {
          SpiffeId id = SpiffeId.parse(uris.get(0));
          fromRoot = id.trustDomain();
        }
      } catch (CertificateParsingException | MeshConfigException e) {
        fromRoot = null;
      }
      if (fromRoot != null && trustDomain != null && !fromRoot.equals(trustDomain)) {
        throw new MeshConfigException(
            "CA certificate file",
            file,
            "a root for trust domain '" + trustDomain + "' (it is for '" + fromRoot + "')");
      }
      if (fromRoot == null && trustDomain == null) {
        throw new MeshConfigException(
            "CA certificate file",
            file,
            "a root with a spiffe:// URI SAN naming its trust domain, or an explicit"
                + " trustDomain(...) on the builder");
      }
      return fromRoot != null ? fromRoot : trustDomain;
    }
  }
}
