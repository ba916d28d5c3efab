package dev.meshwork.core.routing;

import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A logical request with a method, a path and headers, for routing tests. */
record RoutedRequest(String method, String path, Map<String, String> headers)
    implements MeshRequest {

  RoutedRequest {
    Map<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    folded.putAll(headers);
    headers = folded;
  }

  static RoutedRequest get(String path) {
    return new RoutedRequest("GET", path, Map.of());
  }

  RoutedRequest with(String header, String value) {
    Map<String, String> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    more.putAll(headers);
    more.put(header.toLowerCase(Locale.ROOT), value);
    return new RoutedRequest(method, path, more);
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }
}
