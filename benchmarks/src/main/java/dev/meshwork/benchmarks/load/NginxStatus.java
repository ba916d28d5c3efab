package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connections nginx has accepted so far, from its stub status page, read over a socket of its
 * own so that no client under test opens or reuses a connection for it. Two readings around a
 * window give the connections a scenario opened in it: a client that keeps its connections pooled
 * opens none; one that closes and reopens them (a pool too small for its callers) shows here.
 */
final class NginxStatus {
  private static final Pattern COUNTERS =
      Pattern.compile("\\n\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*\\n");

  private NginxStatus() {}

  /** The "accepts" counter of nginx's status page on {@code port} of 127.0.0.1. */
  static long accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String page = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      Matcher counters = COUNTERS.matcher(page);
      if (!counters.find()) {
        throw new IllegalStateException(
            "nginx's status page on port " + port + " has no counters: " + page);
      }
      return Long.parseLong(counters.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read nginx's status page on port " + port, e);
    }
  }
}
