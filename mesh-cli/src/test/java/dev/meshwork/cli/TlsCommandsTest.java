package dev.meshwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ca, issue and inspect run in-process, with OpenSSL as the independent judge of what they write.
 */
class TlsCommandsTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Meshwork.commandLine(new Meshwork());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void createsACaIssuesAServiceCertificateThatOpensslAndPemFileSourceAccept() throws Exception {
    Path ca = dir.resolve("ca");
    Path mathoid = dir.resolve("mathoid");
    assertEquals(
        0,
        run("ca", "create", "--dir", ca.toString(), "--trust-domain", "example.org"),
        err.toString());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca-key.pem"))));

    assertEquals(
        0,
        run(
            "issue",
            "--ca",
            ca.toString(),
            "--service",
            "mathoid",
            "--ttl",
            "24h",
            "--out",
            mathoid.toString()),
        err.toString());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(mathoid.resolve("key.pem"))));
    for (String purpose : List.of("sslserver", "sslclient")) {
      String verdict =
          openssl(
              "verify",
              "-x509_strict",
              "-purpose",
              purpose,
              "-CAfile",
              ca.resolve("ca.pem").toString(),
              mathoid.resolve("chain.pem").toString());
      assertEquals(mathoid.resolve("chain.pem") + ": OK", verdict.trim());
    }
    try (PemFileSource source =
        PemFileSource.builder()
            .keyFile(mathoid.resolve("key.pem"))
            .chainFile(mathoid.resolve("chain.pem"))
            .trustBundleFile(mathoid.resolve("bundle.pem"))
            .build()) {
      assertEquals(
          SpiffeId.forService(TrustDomain.of("example.org"), "default", "mathoid"),
          source.current().spiffeId());
      long hours =
          Duration.between(source.current().notBefore(), source.current().notAfter()).toHours();
      assertEquals(24, hours, "24 h from now, plus the one-minute backdating, rounds down to 24 h");
    }
  }

  @Test
  void inspectShowsTheIdentityValidityAndVerdict() throws Exception {
    Path ca = dir.resolve("ca");
    Path other = dir.resolve("other-ca");
    Path mathoid = dir.resolve("mathoid");
    run("ca", "create", "--dir", ca.toString());
    run("ca", "create", "--dir", other.toString());
    run(
        "issue",
        "--ca",
        ca.toString(),
        "--spiffe-id",
        "spiffe://cluster.local/ns/wiki/sa/mathoid",
        "--ttl",
        "90m",
        "--out",
        mathoid.toString());
    out.getBuffer().setLength(0);

    assertEquals(
        0,
        run(
            "inspect",
            mathoid.resolve("chain.pem").toString(),
            "--bundle",
            mathoid.resolve("bundle.pem").toString()),
        err.toString());
    String report = out.toString();
    assertTrue(report.contains("SPIFFE ID:  spiffe://cluster.local/ns/wiki/sa/mathoid"), report);
    assertTrue(report.contains("issuer:     CN=Meshwork CA"), report);
    assertTrue(
        report.contains("remaining:  1h 29m") || report.contains("remaining:  1h 30m"), report);
    assertTrue(report.contains("chain:      1 certificate"), report);
    assertTrue(report.contains("verifies:   yes, as client and server"), report);

    out.getBuffer().setLength(0);
    assertEquals(
        1,
        run(
            "inspect",
            mathoid.resolve("chain.pem").toString(),
            "--bundle",
            other.resolve("ca.pem").toString()));
    assertTrue(out.toString().contains("verifies:   NO: "), out.toString());
  }

  @Test
  void aBadTtlNamesTheOptionAndTheValue() {
    int code =
        run(
            "issue",
            "--ca",
            dir.toString(),
            "--service",
            "mathoid",
            "--ttl",
            "24x",
            "--out",
            dir.toString());
    assertEquals(2, code);
    assertTrue(
        err.toString()
            .contains("Invalid value for option '--ttl': '24x' is not a positive duration"),
        err.toString());
    assertEquals(
        2,
        run(
            "issue",
            "--ca",
            dir.toString(),
            "--service",
            "mathoid",
            "--ttl",
            "0h",
            "--out",
            dir.toString()));
  }

  @Test
  void aBadServiceNameNamesTheOptionAndTheValue() {
    Path ca = dir.resolve("ca");
    run("ca", "create", "--dir", ca.toString());
    int code =
        run(
            "issue",
            "--ca",
            ca.toString(),
            "--service",
            "math/oid",
            "--out",
            dir.resolve("x").toString());
    assertEquals(2, code);
    assertTrue(
        err.toString()
            .contains(
                "Invalid value for option '--service': SPIFFE ID service: 'math/oid' is invalid"),
        err.toString());
    assertTrue(Files.notExists(dir.resolve("x")), "nothing was written");
  }

  @Test
  void aMissingCaDirectoryNamesTheOptionAndThePath() {
    Path missing = dir.resolve("no-such-ca");
    int code =
        run(
            "issue",
            "--ca",
            missing.toString(),
            "--service",
            "mathoid",
            "--out",
            dir.resolve("x").toString());
    assertEquals(2, code);
    assertTrue(
        err.toString()
            .contains("Invalid value for option '--ca': '" + missing + "' does not exist"),
        err.toString());
  }

  @Test
  void anExistingCaIsNeverOverwritten() throws Exception {
    Path ca = dir.resolve("ca");
    assertEquals(0, run("ca", "create", "--dir", ca.toString()));
    byte[] root = Files.readAllBytes(ca.resolve("ca.pem"));
    assertEquals(2, run("ca", "create", "--dir", ca.toString()));
    assertTrue(
        err.toString()
            .contains("Invalid value for option '--dir': '" + ca + "' already holds a CA"),
        err.toString());
    assertEquals(
        new String(root, StandardCharsets.US_ASCII), Files.readString(ca.resolve("ca.pem")));
  }

  @Test
  void caCreateRefusesAnExistingDirectoryThatOthersCanWrite() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(2, run("ca", "create", "--dir", shared.toString()));
    assertTrue(
        err.toString()
            .contains(
                "Invalid value for option '--dir': CA directory: '"
                    + shared
                    + "' is invalid; expected owned by "
                    + System.getProperty("user.name")
                    + " and not writable by group or others (found owner "
                    + System.getProperty("user.name")
                    + ", permissions rwxrwxrwx)"),
        err.toString());
    assertTrue(Files.notExists(shared.resolve("ca-key.pem")), "no key was written");
  }

  @Test
  void issueRefusesACaThatOthersCouldHaveSwapped() throws Exception {
    Path ca = dir.resolve("ca");
    Path other = dir.resolve("other");
    assertEquals(0, run("ca", "create", "--dir", ca.toString()));
    assertEquals(0, run("ca", "create", "--dir", other.toString()));
    // Another user, able to write the directory, replaces the CA with theirs.
    Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString("rwxrwxrwx"));
    for (String file : List.of("ca.pem", "ca-key.pem")) {
      Files.copy(other.resolve(file), ca.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = dir.resolve("mathoid");
    assertEquals(
        2, run("issue", "--ca", ca.toString(), "--service", "mathoid", "--out", out.toString()));
    assertTrue(
        err.toString()
            .contains("Invalid value for option '--ca': CA directory: '" + ca + "' is invalid"),
        err.toString());
    assertTrue(err.toString().contains("permissions rwxrwxrwx"), err.toString());
    assertTrue(Files.notExists(out), "no bundle was written");
  }

  private static String openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
