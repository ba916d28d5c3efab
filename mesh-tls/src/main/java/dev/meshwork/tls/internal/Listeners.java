package dev.meshwork.tls.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a certificate source. One failing listener must not stop the others from
 * learning about a rotation, nor undo the rotation, so each is called in isolation.
 */
public final class Listeners<T> {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
  private final String owner;

  /**
   * @param owner names the source in the log line when a listener throws
   */
  public Listeners(String owner) {
    this.owner = owner;
  }

  public void add(Consumer<T> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Calls every listener with {@code value}; logs (and otherwise ignores) their exceptions. */
  public void publish(T value) {
    for (Consumer<T> listener : listeners) {
      try {
        listener.accept(value);
      } catch (RuntimeException e) {
        log.warn("A listener of {} failed on the change to {}", owner, value, e);
      }
    }
  }
}
