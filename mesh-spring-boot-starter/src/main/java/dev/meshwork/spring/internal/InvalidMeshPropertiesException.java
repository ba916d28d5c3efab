package dev.meshwork.spring.internal;

import dev.meshwork.config.ConfigDocumentException;

/**
 * The {@code meshwork.*} properties describe a mesh that mesh-config refuses; the message names
 * each property, its value, where it was set and what was expected. Nothing was built.
 */
public final class InvalidMeshPropertiesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidMeshPropertiesException(String message, ConfigDocumentException cause) {
    super(message, cause);
  }
}
