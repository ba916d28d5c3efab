package dev.meshwork.xds.internal;

import java.util.Set;

/**
 * Which bootstrap certificate provider instances the mesh's own identity and trust bundle come
 * from: a cluster's upstream TLS context may name only those, since the mesh presents one identity
 * to every service.
 *
 * @param usable the instance names whose files the mesh's peer security reads
 * @param otherwise why no other instance can be used, for the NACK
 */
public record CertificateProviders(Set<String> usable, String otherwise) {
  public CertificateProviders {
    usable = Set.copyOf(usable);
  }

  /** None: the mesh's identity comes from no bootstrap certificate provider. */
  public static CertificateProviders none(String why) {
    return new CertificateProviders(Set.of(), why);
  }

  /** Refuses {@code instance} unless the mesh's identity comes from it. */
  void require(String instance, String at) {
    if (!usable.contains(instance)) {
      throw new XdsRejection(
          at,
          "certificate provider instance '"
              + instance
              + "' is not where the mesh's identity comes from ("
              + otherwise
              + ")");
    }
  }
}
