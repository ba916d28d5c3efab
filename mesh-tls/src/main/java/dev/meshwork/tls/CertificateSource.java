package dev.meshwork.tls;

import java.util.function.Consumer;

/**
 * Where a workload's key, certificate chain and trust bundle come from: the built-in CA ({@link
 * BuiltInCaSource}), PEM files written by the team's own PKI ({@link PemFileSource}), or anything
 * else a deployment plugs in. The TLS layer only ever asks {@link #current()}, on every new
 * handshake, so a source rotates material by swapping what {@code current()} returns; nothing that
 * holds an {@code SSLContext} has to be rebuilt.
 *
 * <p>Implementations must be thread-safe, and {@link #current()} must be cheap and never block (it
 * runs inside TLS handshakes): keep the identity in a volatile field and replace it whole.
 */
public interface CertificateSource extends AutoCloseable {

  /** The identity to present now. Never null; a source that has none fails to build instead. */
  IssuedIdentity current();

  /**
   * Calls {@code listener} with the new identity after each successful change, on the thread that
   * made the change (usually the mesh's background thread), never for a failed attempt. A listener
   * must be quick and must not throw; an exception is logged and ignored.
   */
  void addListener(Consumer<IssuedIdentity> listener);

  /** A one-line description for logs and the effective-config dump; never key material. */
  String describe();

  /**
   * Stops any background renewal or watching. Idempotent; {@link #current()} stays usable. Called
   * by whoever owns the source: its creator, or the mesh when {@link MeshTls} was built with {@link
   * MeshTls.Builder#closeSourceWithMesh(boolean) closeSourceWithMesh(true)}.
   */
  @Override
  void close();
}
