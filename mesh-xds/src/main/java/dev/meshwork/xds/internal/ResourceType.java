package dev.meshwork.xds.internal;

/** The four xDS resource types the client subscribes to, in the order they depend on each other. */
public enum ResourceType {
  LISTENER("Listener", "envoy.config.listener.v3.Listener", true),
  ROUTE("RouteConfiguration", "envoy.config.route.v3.RouteConfiguration", false),
  CLUSTER("Cluster", "envoy.config.cluster.v3.Cluster", true),
  ENDPOINT("ClusterLoadAssignment", "envoy.config.endpoint.v3.ClusterLoadAssignment", false);

  private final String kind;
  private final String typeUrl;
  private final boolean fullStateInEachResponse;

  ResourceType(String kind, String messageName, boolean fullStateInEachResponse) {
    this.kind = kind;
    this.typeUrl = "type.googleapis.com/" + messageName;
    this.fullStateInEachResponse = fullStateInEachResponse;
  }

  /** The message's short name, for example {@code Cluster}. */
  public String kind() {
    return kind;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /**
   * Whether a state-of-the-world response holds every subscribed resource, so that one it lacks has
   * been deleted (LDS and CDS); for RDS and EDS a response may hold some of them.
   */
  boolean fullStateInEachResponse() {
    return fullStateInEachResponse;
  }

  /** The type with {@code typeUrl}; {@code null} for one the client does not subscribe to. */
  static ResourceType of(String typeUrl) {
    for (ResourceType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return type;
      }
    }
    return null;
  }
}
