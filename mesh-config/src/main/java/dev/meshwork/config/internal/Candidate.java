package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.ServiceConfig;
import java.util.List;
import java.util.Optional;

/**
 * A live source's documents, merged, checked and compiled, not yet applied.
 *
 * @param services the compiled services
 * @param mesh the effective {@code mesh} section, to compare with the running mesh's; empty when
 *     the document has none (it leaves mesh-wide settings as they are)
 * @param version the document's {@code metadata.version}; empty when it has none
 * @param warnings its lint findings worth an operator's eye (warnings and errors), one line each
 */
public record Candidate(
    List<ServiceConfig> services,
    Optional<JsonNode> mesh,
    Optional<String> version,
    List<String> warnings) {
  public Candidate {
    services = List.copyOf(services);
    warnings = List.copyOf(warnings);
  }
}
