package dev.meshwork.core.routing;

import dev.meshwork.core.MeshConfigException;

/** Checks for the percentages routes take (mirroring and fault injection). */
final class Percent {
  private Percent() {
  }

  static double check(String field, double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new MeshConfigException(field, percent, "a percentage in 0..100");
    }
    return percent;
  }
}
