package dev.meshwork.spring.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports wrong {@code meshwork.*} properties at startup as Boot reports its own bad properties.
 */
public final class MeshPropertiesFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidMeshPropertiesException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, InvalidMeshPropertiesException cause) {
    return new FailureAnalysis(
        "The mesh could not be built: " + cause.getMessage(),
        "Correct the meshwork.* properties named above (the mesh document's schema, docs/config,"
            + " lists every setting), or set meshwork.config-location to a document instead.",
        cause);
  }
}
