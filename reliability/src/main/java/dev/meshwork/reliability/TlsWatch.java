package dev.meshwork.reliability;

import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.IssuedIdentity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Handshake;

/**
 * The client's view of its TLS connections during a rotation, as an OkHttp event listener: it
 * counts handshakes, and every request written on a connection that was taken from the pool (or
 * made) after the client dropped the old anchor although its server presented a certificate of the
 * old CA. The mesh must refuse such a connection before writing; each one counted is a connection
 * reused after its anchor was removed.
 */
final class TlsWatch extends EventListener {
  private record Acquired(Connection connection, long atNanos) {}

  private final X509Certificate oldRoot;
  private final LongAdder handshakes = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder reusedAfterRemoval = new LongAdder();
  private final Map<Call, Acquired> acquired = new ConcurrentHashMap<>();
  private final Map<X509Certificate, Boolean> fromOldCa = new ConcurrentHashMap<>();
  private final AtomicLong oldAnchorRemovedAt = new AtomicLong(Long.MAX_VALUE);

  TlsWatch(X509Certificate oldRoot) {
    this.oldRoot = oldRoot;
  }

  /**
   * Notes when {@code source} stops trusting the old root. Register after the mesh is built: the
   * source calls its listeners in order, so the mesh has seen the change when this one does.
   */
  void follow(CertificateSource source) {
    source.addListener(
        (IssuedIdentity identity) -> {
          if (!identity.trustBundle().contains(oldRoot)) {
            oldAnchorRemovedAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
          }
        });
  }

  boolean oldAnchorRemoved() {
    return oldAnchorRemovedAt.get() != Long.MAX_VALUE;
  }

  long handshakes() {
    return handshakes.sum();
  }

  long requests() {
    return requests.sum();
  }

  long reusedAfterRemoval() {
    return reusedAfterRemoval.sum();
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    handshakes.increment();
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    acquired.put(call, new Acquired(connection, System.nanoTime()));
  }

  @Override
  public void requestHeadersStart(Call call) {
    requests.increment();
    Acquired taken = acquired.get(call);
    if (taken == null || taken.atNanos() - oldAnchorRemovedAt.get() < 0) {
      return;
    }
    Handshake handshake = taken.connection().handshake();
    if (handshake != null && !handshake.peerCertificates().isEmpty()) {
      Certificate peer = handshake.peerCertificates().get(0);
      if (peer instanceof X509Certificate leaf
          && fromOldCa.computeIfAbsent(leaf, l -> PemWorkload.issuedBy(l, oldRoot))) {
        reusedAfterRemoval.increment();
      }
    }
  }

  @Override
  public void callEnd(Call call) {
    acquired.remove(call);
  }

  @Override
  public void callFailed(Call call, java.io.IOException failure) {
    acquired.remove(call);
  }

  @Override
  public void canceled(Call call) {
    acquired.remove(call);
  }
}
