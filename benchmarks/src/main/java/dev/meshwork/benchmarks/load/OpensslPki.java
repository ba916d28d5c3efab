package dev.meshwork.benchmarks.load;

import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates of a per-JVM run, issued by the {@code openssl} command as a team's own PKI
 * would issue them: an ECDSA P-256 root whose URI SAN names the trust domain, nginx's SVID of
 * {@value HarnessPki#BACKEND} also carrying {@code DNS:localhost} and {@code IP:127.0.0.1} (so a
 * raw client verifies it by host name, as applications do), and the caller's SVID of {@value
 * HarnessPki#CALLER}. The CA is written where {@code BuiltInCa.builder().load} reads it, so the
 * same root can also back a {@code BuiltInCaSource}.
 */
final class OpensslPki {
  private static final long TIMEOUT_SECONDS = 30;

  private OpensslPki() {}

  /** Issues everything into {@code dir} (owner-only, as it holds keys) with {@code openssl}. */
  static PkiFiles issue(Path dir) throws IOException, InterruptedException {
    Path caDir = dir.resolve("ca");
    Files.createDirectories(
        caDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path caKey = caDir.resolve(BuiltInCa.KEY_FILE);
    Path ca = caDir.resolve(BuiltInCa.CERTIFICATE_FILE);
    Path config = dir.resolve("openssl.cnf");
    Files.writeString(config, config());
    key(caKey);
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        caKey,
        "-subj",
        "/O=Meshwork load harness/CN=harness CA",
        "-days",
        "7",
        "-config",
        config,
        "-extensions",
        "ca",
        "-out",
        ca);
    Path serverKey = dir.resolve("backend-key.pem");
    Path serverChain = dir.resolve("backend-chain.pem");
    leaf(dir, config, "backend", HarnessPki.BACKEND, ca, caKey, serverKey, serverChain);
    Path callerKey = dir.resolve("caller-key.pem");
    Path callerChain = dir.resolve("caller-chain.pem");
    leaf(dir, config, "caller", HarnessPki.CALLER, ca, caKey, callerKey, callerChain);
    Path bundle = dir.resolve("bundle.pem");
    Files.copy(ca, bundle);
    Path callerCertAndKey = dir.resolve("caller.pem");
    Files.writeString(
        callerCertAndKey, Files.readString(callerChain) + Files.readString(callerKey));
    ownerOnly(callerCertAndKey);
    return new PkiFiles(
        serverKey, serverChain, bundle, callerKey, callerChain, callerCertAndKey, caDir);
  }

  /** Extension sections: the root, nginx's leaf (with DNS and IP SANs), the caller's leaf. */
  private static String config() {
    String domain = TrustDomain.DEFAULT.toString();
    return """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        subjectAltName = URI:spiffe://%1$s
        [backend]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth, clientAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        subjectAltName = URI:%2$s, DNS:localhost, IP:127.0.0.1
        [caller]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth, serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        subjectAltName = URI:%3$s
        """
        .formatted(domain, HarnessPki.BACKEND_ID, HarnessPki.CALLER_ID);
  }

  private static void leaf(
      Path dir, Path config, String section, String name, Path ca, Path caKey, Path key, Path chain)
      throws IOException, InterruptedException {
    key(key);
    Path request = dir.resolve(section + ".csr");
    openssl(
        "req",
        "-new",
        "-key",
        key,
        "-subj",
        "/O=Meshwork load harness/CN=" + name,
        "-config",
        config,
        "-out",
        request);
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    serial[0] &= 0x7f; // a positive serial
    openssl(
        "x509",
        "-req",
        "-in",
        request,
        "-CA",
        ca,
        "-CAkey",
        caKey,
        "-set_serial",
        "0x" + HexFormat.of().formatHex(serial),
        "-days",
        "7",
        "-extfile",
        config,
        "-extensions",
        section,
        "-out",
        chain);
    Files.delete(request);
  }

  /** A new P-256 key in PKCS#8, owner-only. */
  private static void key(Path file) throws IOException, InterruptedException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
  }

  private static void ownerOnly(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private static void openssl(Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(
          String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + process.exitValue() + ": " + output.trim());
    }
  }
}
