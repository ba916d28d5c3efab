package dev.meshwork.core.resilience;

/**
 * The failures a retry policy may retry. Whatever is listed, a call that may already have reached a
 * server ({@link #RESET}, {@link #TIMEOUT}, {@link #RETRIABLE_STATUS}) is retried only when it is
 * idempotent.
 */
public enum RetryOn {
  /** Connection refused, unreachable, connect timeout, TLS handshake failure: nothing was sent. */
  CONNECT_FAILURE,
  /** An HTTP/2 stream refused by the server before processing (REFUSED_STREAM). */
  REFUSED_STREAM,
  /** The connection broke after the request may have been written. */
  RESET,
  /** The per-try timeout passed while the call's deadline still leaves time for another try. */
  TIMEOUT,
  /**
   * A response whose status is one of the policy's retriable status codes (502, 503, 504 by
   * default).
   */
  RETRIABLE_STATUS
}
