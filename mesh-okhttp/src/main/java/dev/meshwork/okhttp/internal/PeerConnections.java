package dev.meshwork.okhttp.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Connection;
import okhttp3.internal.connection.RealConnection;
import okhttp3.internal.http2.StreamResetException;

/**
 * The connections a transport's mesh exchanges used, so that when one to an endpoint breaks the
 * others to it can be retired. A connection that fails with a reset or an early end of stream
 * usually means the endpoint's process went away (killed, restarted), and then every pooled
 * connection to it is dead; OkHttp finds that out only by using each (it probes a pooled connection
 * only after 10 s idle, and only for other methods than GET). Without this, the call's retry meets
 * the next dead connection.
 */
final class PeerConnections {
  private final Map<Connection, Boolean> seen = new ConcurrentHashMap<>();
  private volatile int pruneAt = 64;

  /** Notes {@code connection}; one map lookup once it is known. */
  void used(Connection connection) {
    if (seen.putIfAbsent(connection, Boolean.TRUE) == null && seen.size() >= pruneAt) {
      seen.keySet().removeIf(known -> known.socket().isClosed());
      pruneAt = Math.max(64, seen.size() * 2);
    }
  }

  /**
   * After {@code failure} of an exchange on {@code connection}: unless it was a timeout, a
   * cancellation or one HTTP/2 stream's reset, the other connections to the same endpoint take no
   * new exchanges (one serving a call finishes it; OkHttp closes them). Returns how many.
   */
  int failed(Connection connection, IOException failure, boolean cancelled) {
    if (cancelled
        || failure instanceof InterruptedIOException // timeouts included
        || failure instanceof StreamResetException) {
      return 0;
    }
    InetSocketAddress endpoint = connection.route().socketAddress();
    int retired = 0;
    for (Connection other : List.copyOf(seen.keySet())) {
      if (other != connection && other.route().socketAddress().equals(endpoint)) {
        seen.remove(other);
        if (other instanceof RealConnection real) {
          real.noNewExchanges();
          retired++;
        }
      }
    }
    seen.remove(connection);
    return retired;
  }
}
