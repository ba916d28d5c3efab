package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Aims logical URLs at endpoints. Setting a host on an {@link HttpUrl.Builder} canonicalizes it
 * through IDN mapping, about a microsecond per attempt even for an IP literal, so each endpoint's
 * {@code scheme://host:port/} is built once and the logical path and query are resolved against it.
 * URLs the shortcut cannot carry exactly (user info, a fragment, a path starting with {@code //},
 * which would read as an authority) take the full rebuild.
 *
 * <p>Services mostly call a handful of paths over and over, so each endpoint also remembers the
 * last {@value #RECENT_SLOTS} URLs it aimed, in slots picked by the logical URL's hash: a repeated
 * URL then costs a string comparison instead of a parse. {@link HttpUrl} is immutable, so a slot
 * holds a finished value; two threads racing on a slot each store a correct one.
 */
final class EndpointUrls {
  /** Bounds the cache when discovery churns through many endpoints; it is rebuilt on demand. */
  static final int MAX_CACHED = 4_096;

  static final int RECENT_SLOTS = 8;

  private final ConcurrentHashMap<Endpoint, Target> targets = new ConcurrentHashMap<>();

  /** {@code logical} with {@code scheme} and the endpoint's host and port; path and query kept. */
  HttpUrl aim(HttpUrl logical, String scheme, Endpoint endpoint) {
    Target target = target(scheme, endpoint);
    String key = logical.toString(); // HttpUrl keeps its text, so this allocates nothing
    int slot = key.hashCode() & (RECENT_SLOTS - 1);
    Aimed recent = target.recent[slot];
    if (recent != null && recent.logical.equals(key)) {
      return recent.url; // only URLs that passed the checks below are remembered
    }
    String path = logical.encodedPath();
    if (!logical.encodedUsername().isEmpty()
        || !logical.encodedPassword().isEmpty()
        || logical.encodedFragment() != null
        || path.startsWith("//")) {
      return rebuild(logical, scheme, endpoint);
    }
    String query = logical.encodedQuery();
    HttpUrl aimed = target.base.resolve(query == null ? path : path + '?' + query);
    if (aimed == null) {
      return rebuild(logical, scheme, endpoint);
    }
    target.recent[slot] = new Aimed(key, aimed);
    return aimed;
  }

  /** The full rebuild, which canonicalizes the endpoint's host. */
  static HttpUrl rebuild(HttpUrl logical, String scheme, Endpoint endpoint) {
    return logical.newBuilder().scheme(scheme).host(endpoint.host()).port(endpoint.port()).build();
  }

  private Target target(String scheme, Endpoint endpoint) {
    Target target = targets.get(endpoint);
    if (target != null && target.base.scheme().equals(scheme)) {
      return target;
    }
    target =
        new Target(
            new HttpUrl.Builder()
                .scheme(scheme)
                .host(endpoint.host())
                .port(endpoint.port())
                .build());
    if (targets.size() >= MAX_CACHED) {
      targets.clear();
    }
    targets.put(endpoint, target);
    return target;
  }

  int cached() {
    return targets.size();
  }

  /** One endpoint under one scheme: its base URL and the URLs recently aimed at it. */
  private static final class Target {
    final HttpUrl base;

    /**
     * Plain slots: entries are immutable, so a racing reader sees a whole entry, an older one or
     * none.
     */
    final Aimed[] recent = new Aimed[RECENT_SLOTS];

    Target(HttpUrl base) {
      this.base = base;
    }
  }

  private record Aimed(String logical, HttpUrl url) {}
}
