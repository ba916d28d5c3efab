package dev.meshwork.test.internal;

import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.IssuedIdentity;
import java.util.function.Consumer;

/**
 * A fake endpoint's certificate source: its own identity, or, while its script says so, an
 * impostor's from the same CA. Both renew on the kit's clock.
 */
public final class SwitchableSource implements CertificateSource {
  private final CertificateSource own;
  private final CertificateSource impostor;
  private volatile boolean wrong;

  public SwitchableSource(CertificateSource own, CertificateSource impostor) {
    this.own = own;
    this.impostor = impostor;
  }

  /** Presents the impostor's identity ({@code true}) or its own from the next handshake on. */
  public void impostor(boolean on) {
    wrong = on;
  }

  /** The endpoint's own source, whose trust bundle verifies callers. */
  public CertificateSource own() {
    return own;
  }

  @Override
  public IssuedIdentity current() {
    return wrong ? impostor.current() : own.current();
  }

  @Override
  public void addListener(Consumer<IssuedIdentity> listener) {
    own.addListener(listener);
    impostor.addListener(listener);
  }

  @Override
  public String describe() {
    return own.describe() + (wrong ? ", now presenting " + impostor.describe() : "");
  }

  @Override
  public void close() {
    own.close();
    impostor.close();
  }
}
