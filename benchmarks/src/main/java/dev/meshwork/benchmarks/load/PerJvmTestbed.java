package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The servers of a per-JVM run: openssl-issued certificates ({@link OpensslPki}), nginx and the
 * HAProxy sidecar, and the setup file that tells each scenario's JVM where they are. The clients
 * live in the scenarios' own JVMs.
 */
final class PerJvmTestbed implements AutoCloseable {
  private final NginxBackend nginx;
  private final HaproxySidecar haproxy;
  final Path setupFile;

  PerJvmTestbed(
      Path dir,
      String nginxBinary,
      String haproxyBinary,
      int endpoints,
      int nginxWorkers,
      ScenarioSetup.Identity identity)
      throws IOException, InterruptedException {
    PkiFiles pki = OpensslPki.issue(dir);
    nginx = NginxBackend.start(nginxBinary, dir, pki, endpoints, nginxWorkers);
    try {
      haproxy = HaproxySidecar.start(haproxyBinary, dir, pki, nginx);
      try {
        setupFile = dir.resolve("setup.properties");
        new ScenarioSetup(
                ServerPorts.of(nginx, haproxy),
                nginx.statusPort,
                nginx.pid(),
                haproxy.pid(),
                pki,
                identity)
            .write(setupFile);
      } catch (IOException | RuntimeException e) {
        haproxy.close();
        throw e;
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      nginx.close();
      throw e;
    }
  }

  @Override
  public void close() {
    haproxy.close();
    nginx.close();
  }
}
