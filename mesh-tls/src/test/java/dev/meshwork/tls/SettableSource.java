package dev.meshwork.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A certificate source a test swaps by hand, notifying listeners like a real one. */
final class SettableSource implements CertificateSource {
  private final List<Consumer<IssuedIdentity>> listeners = new CopyOnWriteArrayList<>();
  private volatile IssuedIdentity current;

  SettableSource(IssuedIdentity initial) {
    this.current = initial;
  }

  void set(IssuedIdentity next) {
    current = next;
    listeners.forEach(listener -> listener.accept(next));
  }

  @Override
  public IssuedIdentity current() {
    return current;
  }

  @Override
  public void addListener(Consumer<IssuedIdentity> listener) {
    listeners.add(listener);
  }

  @Override
  public String describe() {
    return "settable test source";
  }

  @Override
  public void close() {}
}
