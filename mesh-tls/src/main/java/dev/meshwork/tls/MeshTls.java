package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.MeshConfigException;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.security.ClientTls;
import dev.meshwork.core.security.PeerSecurity;
import dev.meshwork.tls.internal.SpiffeClientTls;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mutual TLS for a mesh: this workload's certificates come from a {@link CertificateSource}, and
 * each service's endpoints must present the SPIFFE ID derived from the service's name
 * ({@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}) or one configured for it.
 *
 * <pre>{@code
 * BuiltInCa ca = BuiltInCa.builder().build();
 * SpiffeId restbase = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
 * Mesh mesh = Mesh.builder()
 *     .security(MeshTls.builder().source(BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build()).build())
 *     .service("mathoid", s -> s.endpoints("10.64.0.11:10044"))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: the trust domain of the source's own identity, namespace {@code default}, TLS 1.3
 * only.
 */
public final class MeshTls implements PeerSecurity {
  private final CertificateSource source;
  private final TrustDomain trustDomain;
  private final String namespace;
  private final boolean allowTls12;
  private final MeshClock clock;

  private MeshTls(Builder builder, TrustDomain trustDomain) {
    this.source = builder.source;
    this.trustDomain = trustDomain;
    this.namespace = builder.namespace;
    this.allowTls12 = builder.allowTls12;
    this.clock = builder.clock;
  }

  /** Starts a configuration; a {@link Builder#source certificate source} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where this workload's certificates come from. */
  public CertificateSource source() {
    return source;
  }

  /** The SPIFFE ID a service's endpoints are expected to present when none is configured. */
  public SpiffeId derivedIdentity(ServiceName service) {
    return SpiffeId.forService(trustDomain, namespace, service.value());
  }

  @Override
  public ClientTls clientTls(ServiceName service, List<String> peerIdentities) {
    Set<SpiffeId> expected = new TreeSet<>();
    if (peerIdentities.isEmpty()) {
      expected.add(derivedIdentity(service));
    }
    for (int i = 0; i < peerIdentities.size(); i++) {
      try {
        expected.add(SpiffeId.parse(peerIdentities.get(i)));
      } catch (MeshConfigException e) {
        throw new MeshConfigException("service '" + service + "' peer identity #" + (i + 1), peerIdentities.get(i), e);
      }
    }
    return new SpiffeClientTls(source, expected, allowTls12, clock);
  }

  @Override
  public String localIdentity() {
    return source.current().spiffeId().toString();
  }

  @Override
  public String toString() {
    return "MeshTls{identity=" + localIdentity() + ", source=" + source.describe() + ", trustDomain=" + trustDomain
        + ", namespace=" + namespace + ", minVersion=" + (allowTls12 ? "TLSv1.2" : "TLSv1.3") + "}";
  }

  /** Collects the settings; {@link #build()} validates them. */
  public static final class Builder {
    private CertificateSource source;
    private TrustDomain trustDomain;
    private String namespace = "default";
    private boolean allowTls12;
    private MeshClock clock = MeshClock.system();

    private Builder() {
    }

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

    /** The clock certificate validity is judged by; default the system clock. */
    public Builder clock(MeshClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Validates the settings. */
    public MeshTls build() {
      if (source == null) {
        throw new MeshConfigException("MeshTls source", null, "a CertificateSource such as BuiltInCaSource or PemFileSource");
      }
      TrustDomain domain = trustDomain != null ? trustDomain : source.current().spiffeId().trustDomain();
      // Fails here, naming the namespace, rather than at the first call.
      SpiffeId.forService(domain, namespace, "probe");
      return new MeshTls(this, domain);
    }
  }
}
