package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Aims logical URLs at endpoints. Setting a host on an {@link HttpUrl.Builder} canonicalizes it
 * through IDN mapping, about a microsecond per attempt even for an IP literal, so each endpoint's
 * {@code scheme://host:port/} is built once and the logical path and query are resolved against
 * it. URLs the shortcut cannot carry exactly (user info, a fragment, a path starting with
 * {@code //}, which would read as an authority) take the full rebuild.
 */
final class EndpointUrls {
  /** Bounds the cache when discovery churns through many endpoints; it is rebuilt on demand. */
  static final int MAX_CACHED = 4_096;

  private final ConcurrentHashMap<Endpoint, HttpUrl> bases = new ConcurrentHashMap<>();

  /** {@code logical} with {@code scheme} and the endpoint's host and port; path and query kept. */
  HttpUrl aim(HttpUrl logical, String scheme, Endpoint endpoint) {
    String path = logical.encodedPath();
    if (!logical.encodedUsername().isEmpty() || !logical.encodedPassword().isEmpty()
        || logical.encodedFragment() != null || path.startsWith("//")) {
      return rebuild(logical, scheme, endpoint);
    }
    String query = logical.encodedQuery();
    HttpUrl aimed = base(scheme, endpoint).resolve(query == null ? path : path + '?' + query);
    return aimed != null ? aimed : rebuild(logical, scheme, endpoint);
  }

  /** The full rebuild, which canonicalizes the endpoint's host. */
  static HttpUrl rebuild(HttpUrl logical, String scheme, Endpoint endpoint) {
    return logical.newBuilder().scheme(scheme).host(endpoint.host()).port(endpoint.port()).build();
  }

  private HttpUrl base(String scheme, Endpoint endpoint) {
    HttpUrl base = bases.get(endpoint);
    if (base != null && base.scheme().equals(scheme)) {
      return base;
    }
    base = new HttpUrl.Builder().scheme(scheme).host(endpoint.host()).port(endpoint.port()).build();
    if (bases.size() >= MAX_CACHED) {
      bases.clear();
    }
    bases.put(endpoint, base);
    return base;
  }

  int cached() {
    return bases.size();
  }
}
