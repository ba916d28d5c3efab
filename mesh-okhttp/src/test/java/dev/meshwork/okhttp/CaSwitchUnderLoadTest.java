package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustBundle;
import dev.meshwork.tls.TrustDomain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The middle step of an anchor rotation under concurrent load: the client's leaf moves to the new
 * CA while many pooled connections, most of them busy, presented the old one. Those connections are
 * retired, and no call fails on one of them: with the mesh's default retries, a call that met a
 * connection being retired must find a good one (or a new one) on its retry.
 */
class CaSwitchUnderLoadTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final int CALLERS = 16;

  private final BuiltInCa oldCa = BuiltInCa.builder().build();
  private final BuiltInCa newCa = BuiltInCa.builder().build();
  private final TrustBundle both = oldCa.trustBundle().with(newCa.rootCertificate());
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    callers.shutdownNow();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void noCallFailsWhileConnectionsThatPresentedTheOldCasLeafAreRetired() throws Exception {
    PemFiles clientFiles = new PemFiles(dir.resolve("restbase"), withBundle(oldCa.issue(RESTBASE)));
    PemFileSource client = clientFiles.source();
    resources.add(client);
    String[] addresses = new String[3];
    for (int i = 0; i < addresses.length; i++) {
      PemFileSource source =
          new PemFiles(dir.resolve("mathoid-" + i), withBundle(newCa.issue(MATHOID))).source();
      TlsBackend backend = new TlsBackend("mathoid-" + i, source, MeshClock.system());
      resources.add(backend);
      resources.add(source);
      addresses[i] = backend.address();
    }
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(client).build())
            .service("mathoid", s -> s.endpoints(addresses))
            .build();
    resources.add(0, mesh);
    OkHttpClient okhttp = MeshOkHttp.of(mesh).client();
    AtomicLong succeeded = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    long limit = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int c = 0; c < CALLERS; c++) {
      callers.execute(
          () -> {
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() - limit < 0) {
              try (Response response =
                  okhttp.newCall(new Request.Builder().url("http://mathoid/").build()).execute()) {
                response.body().string();
                if (response.code() == 200) {
                  succeeded.incrementAndGet();
                } else {
                  failures.add("status " + response.code());
                }
              } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                  failures.add(e.toString());
                }
              }
            }
          });
    }
    awaitCalls(succeeded, 400);

    IssuedIdentity renewed = newCa.issue(RESTBASE);
    clientFiles.writeIdentity(renewed);
    assertTrue(client.reload(), "the leaf of the new CA was loaded");
    long after = succeeded.get();
    awaitCalls(succeeded, after + 400);
    callers.shutdownNow();
    assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));

    assertEquals(List.of(), List.copyOf(failures), "calls that failed across the switch");
  }

  private static void awaitCalls(AtomicLong succeeded, long calls) throws InterruptedException {
    Backends.await(
        () -> succeeded.get() >= calls,
        Duration.ofSeconds(30),
        () -> calls + " calls; only " + succeeded.get() + " succeeded");
  }

  private IssuedIdentity withBundle(IssuedIdentity identity) {
    return IssuedIdentity.of(identity.privateKey(), identity.chain(), both);
  }
}
