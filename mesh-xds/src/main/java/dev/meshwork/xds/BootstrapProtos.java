package dev.meshwork.xds;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.xds.XdsBootstrap.Credentials;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The bootstrap in the terms of the wire: the Node message and the channel's credentials. */
final class BootstrapProtos {
  /** Tells the control plane that priorities fail over whole (see docs/xds-mapping.md). */
  static final String NO_OVERPROVISIONING = "envoy.lb.does_not_support_overprovisioning";

  private BootstrapProtos() {}

  static Node node(XdsBootstrap.Node node) {
    Struct.Builder metadata = Struct.newBuilder();
    node.metadata().forEach((key, value) -> metadata.putFields(key, value(value)));
    XdsBootstrap.Locality locality = node.locality();
    String version = BootstrapProtos.class.getPackage().getImplementationVersion();
    return Node.newBuilder()
        .setId(node.id())
        .setCluster(node.cluster())
        .setMetadata(metadata)
        .setLocality(
            Locality.newBuilder()
                .setRegion(locality.region())
                .setZone(locality.zone())
                .setSubZone(locality.subZone()))
        .setUserAgentName("meshwork")
        .setUserAgentVersion(version == null ? "dev" : version)
        .addClientFeatures(NO_OVERPROVISIONING)
        .build();
  }

  private static Value value(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    } else if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    } else if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    } else if (value instanceof Map<?, ?> map) {
      Struct.Builder struct = Struct.newBuilder();
      map.forEach((k, v) -> struct.putFields(String.valueOf(k), value(v)));
      return Value.newBuilder().setStructValue(struct).build();
    } else if (value instanceof List<?> list) {
      ListValue.Builder values = ListValue.newBuilder();
      list.forEach(v -> values.addValues(value(v)));
      return Value.newBuilder().setListValue(values).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(value)).build();
  }

  static ChannelCredentials credentials(Credentials credentials) {
    if ("insecure".equals(credentials.type())) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    try {
      if (credentials.caCertificateFile().isPresent()) {
        tls.trustManager(credentials.caCertificateFile().get().toFile());
      }
      if (credentials.certificateFile().isPresent()) {
        tls.keyManager(
            credentials.certificateFile().get().toFile(),
            credentials.privateKeyFile().get().toFile());
      }
    } catch (IOException e) {
      throw new MeshConfigException(
          "xds bootstrap channel_creds tls config",
          credentials,
          "readable PEM files (" + e.getMessage() + ")");
    }
    return tls.build();
  }
}
