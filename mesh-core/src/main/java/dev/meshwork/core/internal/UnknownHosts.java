package dev.meshwork.core.internal;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.UnknownMeshHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The mesh's decision for calls whose host is not a configured service: which hosts look like mesh
 * services (single-label, or under a mesh domain) and whether those are refused.
 *
 * @param policy the policy in force, the default already resolved
 * @param domains mesh domains, without a leading dot
 * @param chosen whether the mesh builder set the policy (otherwise it is the default)
 */
public record UnknownHosts(UnknownHostPolicy policy, List<String> domains, boolean chosen) {
  public UnknownHosts {
    domains = List.copyOf(domains);
  }

  /** The policy set on the builder, or the default for a mesh with or without an identity. */
  public static UnknownHosts of(
      UnknownHostPolicy chosen, List<String> domains, boolean hasIdentity) {
    return chosen != null
        ? new UnknownHosts(chosen, domains, true)
        : new UnknownHosts(
            hasIdentity ? UnknownHostPolicy.REFUSE_MESH_LIKE : UnknownHostPolicy.PASS_THROUGH,
            domains,
            false);
  }

  /** Throws when {@code host}, which is no configured service, must not leave the mesh. */
  public void admit(String host, Supplier<Set<ServiceName>> services)
      throws UnknownMeshHostException {
    if (policy == UnknownHostPolicy.REFUSE_MESH_LIKE && meshLike(host)) {
      throw new UnknownMeshHostException(
          host,
          services.get(),
          chosen
              ? "the mesh builder chose unknownHosts(REFUSE_MESH_LIKE)"
              : "the mesh has an identity");
    }
  }

  /** Whether {@code host} looks like a mesh service; {@code localhost} and IP literals never do. */
  boolean meshLike(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    name = name.toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.equals("localhost") || isIpLiteral(name)) {
      return false;
    }
    if (name.indexOf('.') < 0) {
      return true;
    }
    for (String domain : domains) {
      if (name.equals(domain) || name.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isIpLiteral(String host) {
    // OkHttp hands over IPv6 hosts without brackets; any colon means one.
    return host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }
}
