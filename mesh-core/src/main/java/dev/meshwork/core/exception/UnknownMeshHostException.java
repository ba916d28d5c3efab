package dev.meshwork.core.exception;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.ServiceName;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A call was refused before anything was sent because its host looks like a mesh service but is not
 * one (usually a typo such as {@code biling} for {@code billing}), and the mesh's {@link
 * UnknownHostPolicy} is {@link UnknownHostPolicy#REFUSE_MESH_LIKE REFUSE_MESH_LIKE}. The message
 * names the host, the configured services and the setting that refused it.
 *
 * <p>Not a {@link MeshException}: no service was involved, only a host.
 */
public final class UnknownMeshHostException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final transient List<ServiceName> services;

  /**
   * @param why why unknown hosts are refused, for example "the mesh has an identity"
   */
  public UnknownMeshHostException(String host, Set<ServiceName> services, String why) {
    this(host, services.stream().sorted().toList(), why);
  }

  private UnknownMeshHostException(String host, List<ServiceName> sorted, String why) {
    super(
        "host '"
            + host
            + "' is not a mesh service (services: "
            + String.join(", ", sorted.stream().map(ServiceName::value).toList())
            + ") and unknown hosts are refused because "
            + why
            + "; configure the service, or set unknownHosts(PASS_THROUGH)");
    this.host = host;
    this.services = sorted;
  }

  /** The refused host, as the call's URL named it. */
  public String host() {
    return host;
  }

  /** The services the mesh has, sorted. */
  public List<ServiceName> services() {
    return services;
  }
}
