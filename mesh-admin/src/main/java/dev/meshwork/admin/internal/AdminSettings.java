package dev.meshwork.admin.internal;

import java.net.InetAddress;
import java.util.Set;

/**
 * Where the admin endpoint listens and which host names it answers, as the public options validated
 * them.
 *
 * @param port the TCP port asked for; 0 for any free port
 * @param allowedHosts host names, in lower case, requests may name besides {@code localhost} and
 *     the address they arrived on
 */
public record AdminSettings(InetAddress bindAddress, int port, Set<String> allowedHosts) {
  public AdminSettings {
    allowedHosts = Set.copyOf(allowedHosts);
  }
}
