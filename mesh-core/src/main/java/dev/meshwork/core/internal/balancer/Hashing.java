package dev.meshwork.core.internal.balancer;

/**
 * A fast, well-mixed 64-bit string hash (FNV-1a followed by the SplitMix64 finalizer). It runs over
 * the string's UTF-16 chars, not its UTF-8 bytes: the same for ASCII, and no array per call (a
 * hashing balancer hashes a key on every pick).
 */
final class Hashing {
  private Hashing() {}

  static long hash(String text) {
    return hash(text, 0);
  }

  static long hash(String text, long seed) {
    return mix(fnv(0xcbf29ce484222325L ^ seed, text));
  }

  /**
   * The hash of an endpoint's identity, {@code host} and {@code port}, without formatting its
   * address: FNV-1a over the host's characters and the port's two bytes, then mixed.
   */
  static long hash(String host, int port, long seed) {
    long h = fnv(0xcbf29ce484222325L ^ seed, host);
    h ^= port >>> 8 & 0xff;
    h *= 0x100000001b3L;
    h ^= port & 0xff;
    h *= 0x100000001b3L;
    return mix(h);
  }

  private static long fnv(long h, String text) {
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
