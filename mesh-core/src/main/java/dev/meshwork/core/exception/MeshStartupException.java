package dev.meshwork.core.exception;

/**
 * {@code Mesh.builder().awaitDiscovery(bound).build()} gave up: some services had no answer from
 * their discovery source within the bound. The message names each such service, its source and the
 * source's last error; the half-started mesh has been closed.
 */
public final class MeshStartupException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public MeshStartupException(String message) {
    super(message);
  }
}
