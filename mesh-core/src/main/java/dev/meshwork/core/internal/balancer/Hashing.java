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

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
