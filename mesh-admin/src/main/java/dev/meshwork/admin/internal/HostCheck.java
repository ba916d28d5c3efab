package dev.meshwork.admin.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} headers the admin endpoint answers: {@code localhost}, the address the request
 * arrived on, the bound address, and the {@linkplain AdminSettings#allowedHosts() allowed names},
 * each with or without a port. Any other name may be a web page that rebound its own domain to this
 * address (DNS rebinding) to read the endpoint from a browser on this host.
 */
final class HostCheck {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");
  private static final Pattern PORT = Pattern.compile(":[0-9]{1,5}");

  private final Set<String> names;
  private final InetAddress bound;

  HostCheck(AdminSettings settings) {
    this.names = new HashSet<>(settings.allowedHosts());
    names.add("localhost");
    this.bound = settings.bindAddress();
  }

  /**
   * Whether a request whose {@code Host} header is {@code header} (or {@code null}) and that
   * arrived on {@code local} is served.
   */
  boolean allows(String header, InetAddress local) {
    String name = name(header);
    if (name == null) {
      return false;
    }
    if (names.contains(name)) {
      return true;
    }
    InetAddress literal = literal(name);
    return literal != null && (literal.equals(local) || literal.equals(bound));
  }

  /**
   * The host of a {@code Host} header, lower case, without port or trailing dot; {@code null} when
   * absent or malformed.
   */
  static String name(String header) {
    if (header == null) {
      return null;
    }
    String host = header.trim().toLowerCase(Locale.ROOT);
    int portAt;
    if (host.startsWith("[")) {
      portAt = host.indexOf(']') + 1;
      if (portAt == 0) {
        return null;
      }
    } else {
      portAt = host.indexOf(':') < 0 ? host.length() : host.indexOf(':');
    }
    if (portAt < host.length() && !PORT.matcher(host.substring(portAt)).matches()) {
      return null;
    }
    String name = host.substring(0, portAt);
    name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return name.isEmpty() ? null : name;
  }

  /**
   * {@code name} as an address when it is an IPv4 or bracketed IPv6 literal, else {@code null};
   * never looks a name up.
   */
  static InetAddress literal(String name) {
    try {
      if (IPV4.matcher(name).matches()) {
        // Read here: the JDK resolves a quad it cannot read (999.1.1.1) as a name.
        String[] parts = name.split("\\.");
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return null;
          }
          octets[i] = (byte) octet;
        }
        return InetAddress.getByAddress(octets);
      }
      // In brackets, the JDK reads an IPv6 literal or refuses; it never resolves a name.
      return IPV6.matcher(name).matches() ? InetAddress.getByName(name) : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
