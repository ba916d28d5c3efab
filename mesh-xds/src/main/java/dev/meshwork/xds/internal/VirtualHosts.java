package dev.meshwork.xds.internal;

import dev.meshwork.xds.internal.RouteDecoder.VirtualHostSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Envoy's virtual host selection by domain, for the authority a Listener name stands for: an exact
 * domain first, then the longest suffix wildcard ({@code *.example.com}), then the longest prefix
 * wildcard ({@code example.*}), then {@code *}.
 */
final class VirtualHosts {
  private VirtualHosts() {}

  static Optional<VirtualHostSpec> select(List<VirtualHostSpec> hosts, String authority) {
    String host = authority.toLowerCase(Locale.ROOT);
    VirtualHostSpec best = null;
    int bestRank = Integer.MAX_VALUE;
    int bestLength = -1;
    for (VirtualHostSpec candidate : hosts) {
      for (String domain : candidate.domains()) {
        String d = domain.toLowerCase(Locale.ROOT);
        int rank;
        if (d.equals(host)) {
          rank = 0;
        } else if (d.startsWith("*") && d.length() > 1 && host.endsWith(d.substring(1))) {
          rank = 1;
        } else if (d.endsWith("*")
            && d.length() > 1
            && host.startsWith(d.substring(0, d.length() - 1))) {
          rank = 2;
        } else if (d.equals("*")) {
          rank = 3;
        } else {
          continue;
        }
        if (rank < bestRank || (rank == bestRank && d.length() > bestLength)) {
          best = candidate;
          bestRank = rank;
          bestLength = d.length();
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
