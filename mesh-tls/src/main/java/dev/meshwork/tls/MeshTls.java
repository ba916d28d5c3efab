package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mutual TLS for a mesh: this workload's certificates come from a {@link CertificateSource}, and
 * each service's endpoints must present the SPIFFE ID derived from the service's name ({@code
 * spiffe://<trust-domain>/ns/<namespace>/sa/<service>}) or one configured for it.
 *
 * <pre>{@code
 * BuiltInCa ca = BuiltInCa.builder().build();
 * SpiffeId restbase = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
 * BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build();
 * Mesh mesh = Mesh.builder()
 *     .security(MeshTls.builder().source(source).closeSourceWithMesh(true).build())
 *     .service("mathoid", s -> s.endpoints("10.64.0.11:10044"))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: the trust domain of the source's own identity, namespace {@code default}, TLS 1.3
 * only. Certificate validity is judged by the mesh's clock ({@code Mesh.builder().clock(...)}).
 *
 * <p>Who closes what: the mesh owns its {@code MeshTls} and closes it with {@code Mesh.close()}.
 * The certificate source stays the caller's by default, since it often also serves the workload's
 * own server ({@link MeshSslContexts#server}); close it yourself, or build with {@link
 * Builder#closeSourceWithMesh(boolean) closeSourceWithMesh(true)} so that closing the mesh stops
 * its renewal too.
 */
public final class MeshTls implements PeerSecurity, AutoCloseable {
  private final CertificateSource source;
  private final TrustDomain trustDomain;
  private final String namespace;
  private final boolean allowTls12;
  private final boolean closeSource;

  private MeshTls(Builder builder, TrustDomain trustDomain) {
    this.source = builder.source;
    this.trustDomain = trustDomain;
    this.namespace = builder.namespace;
    this.allowTls12 = builder.allowTls12;
    this.closeSource = builder.closeSource;
  }

  /**
   * Mutual TLS from the built-in CA for the workload named {@code service}: its identity is {@code
   * spiffe://<ca's trust domain>/ns/default/sa/<service>}, its certificate is issued and renewed by
   * {@code ca}, and closing the mesh stops the renewal. For development and tests; production
   * workloads read their certificates with {@link PemFileSource}.
   *
   * @throws dev.meshwork.core.exception.MeshConfigException if {@code service} is not a valid
   *     SPIFFE path segment
   */
  public static MeshTls builtIn(BuiltInCa ca, String service) {
    Objects.requireNonNull(ca, "ca");
    SpiffeId identity = SpiffeId.forService(ca.trustDomain(), "default", service);
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(identity).build();
    return builder().source(source).closeSourceWithMesh(true).build();
  }

  /** Starts a configuration; a {@link Builder#source certificate source} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where this workload's certificates come from. */
  public CertificateSource source() {
    return source;
  }

  /** The trust domain of derived peer identities. */
  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** The namespace of derived peer identities; {@code default} unless set. */
  public String namespace() {
    return namespace;
  }

  /** Whether TLS 1.2 peers are accepted as well as TLS 1.3. */
  public boolean allowTls12() {
    return allowTls12;
  }

  /** The SPIFFE ID a service's endpoints are expected to present when none is configured. */
  public SpiffeId derivedIdentity(ServiceName service) {
    return SpiffeId.forService(trustDomain, namespace, service.value());
  }

  @Override
  public ClientTls clientTls(ServiceName service, List<String> peerIdentities, MeshClock clock) {
    Set<SpiffeId> expected = new TreeSet<>();
    if (peerIdentities.isEmpty()) {
      expected.add(derivedIdentity(service));
    }
    for (int i = 0; i < peerIdentities.size(); i++) {
      try {
        expected.add(SpiffeId.parse(peerIdentities.get(i)));
      } catch (MeshConfigException e) {
        throw new MeshConfigException(
            "service '" + service + "' peer identity #" + (i + 1), peerIdentities.get(i), e);
      }
    }
    return new SpiffeClientTls(source, expected, allowTls12, clock);
  }

  /**
   * Called by {@code Mesh.close()}: closes the certificate source when built with {@link
   * Builder#closeSourceWithMesh(boolean) closeSourceWithMesh(true)}, and does nothing otherwise.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closeSource) {
      source.close();
    }
  }

  @Override
  public String localIdentity() {
    return source.current().spiffeId().toString();
  }

  @Override
  public String toString() {
    return "MeshTls{identity="
        + localIdentity()
        + ", source="
        + source.describe()
        + ", trustDomain="
        + trustDomain
        + ", namespace="
        + namespace
        + ", minVersion="
        + (allowTls12 ? "TLSv1.2" : "TLSv1.3")
        + ", source closed "
        + (closeSource ? "with the mesh" : "by its owner")
        + "}";
  }

  /** Collects the settings; {@link #build()} validates them. */
  public static final class Builder {
    private CertificateSource source;
    private TrustDomain trustDomain;
    private String namespace = "default";
    private boolean allowTls12;
    private boolean closeSource;

    private Builder() {}

    /** This workload's certificates and trust bundle. Required. */
    public Builder source(CertificateSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The trust domain of derived peer identities; default the trust domain of the source's own
     * identity. Set it only for peers in another trust domain whose anchors the bundle holds.
     */
    public Builder trustDomain(String trustDomain) {
      this.trustDomain = TrustDomain.of(trustDomain);
      return this;
    }

    /** The namespace of derived peer identities; default {@code default}. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Accept TLS 1.2 peers as well as TLS 1.3; off by default. */
    public Builder allowTls12(boolean allow) {
      this.allowTls12 = allow;
      return this;
    }

    /**
     * Whether closing the mesh (which closes this {@code MeshTls}) closes the certificate source
     * too, stopping its renewal or file watching. Default false: the source is the caller's, who
     * may share it with the workload's own server and closes it when that is done. Set it only when
     * this {@code MeshTls} serves a single mesh.
     */
    public Builder closeSourceWithMesh(boolean close) {
      this.closeSource = close;
      return this;
    }

    /** Validates the settings. */
    public MeshTls build() {
      if (source == null) {
        throw new MeshConfigException(
            "MeshTls source", null, "a CertificateSource such as BuiltInCaSource or PemFileSource");
      }
      TrustDomain domain =
          trustDomain != null ? trustDomain : source.current().spiffeId().trustDomain();
      // Fails here, naming the namespace, rather than at the first call.
      SpiffeId.forService(domain, namespace, "probe");
      return new MeshTls(this, domain);
    }
  }
}
