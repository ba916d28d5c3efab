package dev.meshwork.tls;

/**
 * The part the verified peer plays in the TLS handshake. It decides which extended key usage the
 * peer's certificate must allow when it restricts purposes: serverAuth for a server, clientAuth for
 * a client.
 */
public enum PeerRole {
  /** The peer accepted our connection; its certificate must allow serverAuth. */
  SERVER,
  /** The peer opened the connection to us; its certificate must allow clientAuth. */
  CLIENT
}
