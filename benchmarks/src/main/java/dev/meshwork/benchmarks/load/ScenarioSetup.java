package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What a scenario's own JVM needs to know about the run's servers: their ports, nginx's status
 * port, nginx's and HAProxy's PIDs (to meter their CPU), the PKI files and where the mesh's
 * identity comes from. The parent writes it as a properties file; each scenario JVM reads it
 * ({@link ScenarioJvm}).
 */
record ScenarioSetup(
    ServerPorts ports,
    int nginxStatusPort,
    long nginxPid,
    long haproxyPid,
    PkiFiles pki,
    Identity identity) {

  /** Where the mesh's certificates come from in the mutual-TLS scenario. */
  enum Identity {
    /** {@code PemFileSource} over the openssl-issued files, as with a team's own PKI. */
    PEM,
    /** {@code BuiltInCaSource} issuing in process from the same openssl root. */
    BUILTIN
  }

  void write(Path file) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("plainPorts", join(ports.plain()));
    properties.setProperty("tlsPorts", join(ports.tls()));
    properties.setProperty("h2Ports", join(ports.h2()));
    properties.setProperty("sidecarSinglePort", Integer.toString(ports.sidecarSingle()));
    properties.setProperty("sidecarAllPort", Integer.toString(ports.sidecarAll()));
    properties.setProperty("sidecarH2SinglePort", Integer.toString(ports.sidecarH2Single()));
    properties.setProperty("sidecarH2AllPort", Integer.toString(ports.sidecarH2All()));
    properties.setProperty("nginxStatusPort", Integer.toString(nginxStatusPort));
    properties.setProperty("nginxPid", Long.toString(nginxPid));
    properties.setProperty("haproxyPid", Long.toString(haproxyPid));
    properties.setProperty("serverKey", pki.serverKey().toString());
    properties.setProperty("serverChain", pki.serverChain().toString());
    properties.setProperty("trustBundle", pki.trustBundle().toString());
    properties.setProperty("callerKey", pki.callerKey().toString());
    properties.setProperty("callerChain", pki.callerChain().toString());
    properties.setProperty("callerCertAndKey", pki.callerCertAndKey().toString());
    properties.setProperty("caDirectory", pki.caDirectory().toString());
    properties.setProperty("identity", identity.name().toLowerCase(Locale.ROOT));
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "Meshwork load harness: the servers of a per-JVM run");
    }
  }

  static ScenarioSetup read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return new ScenarioSetup(
        new ServerPorts(
            ports(required(properties, "plainPorts", file)),
            ports(required(properties, "tlsPorts", file)),
            ports(required(properties, "h2Ports", file)),
            Integer.parseInt(required(properties, "sidecarSinglePort", file)),
            Integer.parseInt(required(properties, "sidecarAllPort", file)),
            Integer.parseInt(required(properties, "sidecarH2SinglePort", file)),
            Integer.parseInt(required(properties, "sidecarH2AllPort", file))),
        Integer.parseInt(required(properties, "nginxStatusPort", file)),
        Long.parseLong(required(properties, "nginxPid", file)),
        Long.parseLong(required(properties, "haproxyPid", file)),
        new PkiFiles(
            Path.of(required(properties, "serverKey", file)),
            Path.of(required(properties, "serverChain", file)),
            Path.of(required(properties, "trustBundle", file)),
            Path.of(required(properties, "callerKey", file)),
            Path.of(required(properties, "callerChain", file)),
            Path.of(required(properties, "callerCertAndKey", file)),
            Path.of(required(properties, "caDirectory", file))),
        Identity.valueOf(required(properties, "identity", file).toUpperCase(Locale.ROOT)));
  }

  private static String required(Properties properties, String key, Path file) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException(file + " has no '" + key + "'; expected one");
    }
    return value;
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Integer> ports(String list) {
    return Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
  }
}
