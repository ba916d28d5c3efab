package dev.meshwork.benchmarks.load;

import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import dev.meshwork.tls.internal.OwnerOnlyFiles;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The certificates of a run, all from one built-in CA: nginx serves {@value #BACKEND}'s SVID and
 * trusts the CA for client certificates; the clients (raw OkHttp, the HAProxy sidecar, the mesh)
 * present {@value #CALLER}'s. Files nginx and HAProxy read are written to the run's directory,
 * private keys owner-only (the same {@link OwnerOnlyFiles} the CLI uses).
 */
final class HarnessPki implements AutoCloseable {
  static final String BACKEND = "mathoid";
  static final String CALLER = "restbase";
  static final SpiffeId BACKEND_ID = SpiffeId.forService(TrustDomain.DEFAULT, "default", BACKEND);
  static final SpiffeId CALLER_ID = SpiffeId.forService(TrustDomain.DEFAULT, "default", CALLER);

  final BuiltInCa ca = BuiltInCa.builder().build();

  /** The identity raw OkHttp presents (S2) and HAProxy presents (S3), as PEM files for HAProxy. */
  final IssuedIdentity caller = ca.issue(CALLER_ID);

  /** The mesh's own identity (S4): a certificate source that renews itself, as in production. */
  final BuiltInCaSource meshSource = BuiltInCaSource.builder().ca(ca).spiffeId(CALLER_ID).build();

  /** The files nginx and HAProxy read (the CA itself stays in memory). */
  final PkiFiles files;

  HarnessPki(Path directory) throws IOException {
    IssuedIdentity backend = ca.issue(BACKEND_ID);
    files =
        new PkiFiles(
            write(directory.resolve("backend-key.pem"), Pem.privateKey(backend.privateKey()), true),
            write(directory.resolve("backend-chain.pem"), Pem.certificates(backend.chain()), false),
            write(
                directory.resolve("bundle.pem"),
                Pem.certificates(List.copyOf(backend.trustAnchors())),
                false),
            write(directory.resolve("caller-key.pem"), Pem.privateKey(caller.privateKey()), true),
            write(directory.resolve("caller-chain.pem"), Pem.certificates(caller.chain()), false),
            write(
                directory.resolve("caller.pem"),
                Pem.certificates(caller.chain()) + Pem.privateKey(caller.privateKey()),
                true),
            null);
  }

  private static Path write(Path file, String pem, boolean secret) throws IOException {
    OwnerOnlyFiles.write(
        file,
        pem.getBytes(StandardCharsets.US_ASCII),
        secret ? OwnerOnlyFiles.OWNER_ONLY : OwnerOnlyFiles.WORLD_READABLE);
    return file;
  }

  @Override
  public void close() {
    meshSource.close();
  }
}
