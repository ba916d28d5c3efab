package org.springframework.cloud.context.environment;

import java.util.Set;
import org.springframework.context.ApplicationEvent;

/**
 * A stand-in for spring-cloud-context's event of this name (not a dependency of the starter), so a
 * test can check that the starter's listener, registered only when a class of this name exists,
 * re-applies the properties when it is published.
 */
public class EnvironmentChangeEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final Set<String> keys;

  public EnvironmentChangeEvent(Object context, Set<String> keys) {
    super(context);
    this.keys = keys;
  }

  public Set<String> getKeys() {
    return keys;
  }
}
