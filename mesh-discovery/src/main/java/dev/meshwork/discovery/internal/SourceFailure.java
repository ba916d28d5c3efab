package dev.meshwork.discovery.internal;

import dev.meshwork.core.ServiceName;
import java.io.IOException;

/**
 * A discovery source could not answer. The message always names the source, the service and the
 * reason, because it ends up in logs, in {@code DiscoveryHealth.lastError()} and in the message of
 * calls that find no endpoints.
 */
public final class SourceFailure extends IOException {
  private static final long serialVersionUID = 1L;

  public SourceFailure(String source, ServiceName service, String reason, Throwable cause) {
    super(source + " for service '" + service + "': " + reason, cause);
  }

  public SourceFailure(String source, ServiceName service, String reason) {
    this(source, service, reason, null);
  }
}
