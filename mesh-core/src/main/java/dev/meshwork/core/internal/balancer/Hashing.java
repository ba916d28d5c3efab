package dev.meshwork.core.internal.balancer;

import java.nio.charset.StandardCharsets;

/** A fast, well-mixed 64-bit string hash (FNV-1a followed by the SplitMix64 finalizer). */
final class Hashing {
  private Hashing() {
  }

  static long hash(String text) {
    return hash(text, 0);
  }

  static long hash(String text, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /**
   * The hash of an endpoint's identity, {@code host} and {@code port}, without formatting its
   * address: FNV-1a over the host's characters (hosts are ASCII, so the same bytes as UTF-8) and
   * the port's two bytes, then mixed.
   */
  static long hash(String host, int port, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (int i = 0; i < host.length(); i++) {
      h ^= host.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= port >>> 8 & 0xff;
    h *= 0x100000001b3L;
    h ^= port & 0xff;
    h *= 0x100000001b3L;
    return mix(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
