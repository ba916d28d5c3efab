package dev.meshwork.core;

/**
 * The logical call ran out of time: its deadline (the service's timeout, a per-call timeout, or a
 * deadline propagated from upstream) passed before an attempt succeeded. When an attempt was cut
 * short, its I/O failure is the {@linkplain #getCause() cause}.
 */
public final class DeadlineExceededException extends MeshException {
  private static final long serialVersionUID = 1L;

  public DeadlineExceededException(ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(service, endpoint, reason, cause);
  }
}
