package dev.meshwork.core.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What an attempt's I/O failure proves about the request. Retries depend on it: a failure that
 * proves nothing was sent may be retried for any method, the others only for idempotent calls.
 */
public enum FailureKind {
  /**
   * No connection: refused, unreachable, connect timeout or TLS handshake failure. Nothing was
   * sent.
   */
  CONNECT_FAILURE(true),
  /**
   * An HTTP/2 stream the server refused before processing it (REFUSED_STREAM). Nothing was
   * processed.
   */
  REFUSED_STREAM(true),
  /** The connection broke after the request may have been written: reset, EOF, protocol error. */
  RESET(false),
  /**
   * The attempt's timeout passed while waiting for the server; it may have processed the request.
   */
  TIMEOUT(false);

  private final boolean provesNotSent;

  FailureKind(boolean provesNotSent) {
    this.provesNotSent = provesNotSent;
  }

  /**
   * Whether this failure proves the server never processed the request, so any method may be
   * retried.
   */
  public boolean provesNotSent() {
    return provesNotSent;
  }

  /**
   * Classifies a failure by the JDK's exception types; transports refine it with what only they
   * know (OkHttp's refused streams, for example).
   */
  public static FailureKind of(IOException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SSLHandshakeException
          || t instanceof SSLPeerUnverifiedException) {
        return CONNECT_FAILURE;
      }
      if (t instanceof SocketTimeoutException) {
        String message = t.getMessage();
        // The JDK and OkHttp say "Connect timed out" / "connect timed out" for a connect that never
        // finished.
        return message != null && message.toLowerCase(Locale.ROOT).contains("connect")
            ? CONNECT_FAILURE
            : TIMEOUT;
      }
    }
    return RESET;
  }
}
