package dev.meshwork.core.internal;

import dev.meshwork.core.exception.MeshConfigException;
import java.time.Duration;

/**
 * The checks policy builders run in {@code build()}; each failure names the field and the value.
 */
public final class Validate {
  private Validate() {}

  public static Duration positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new MeshConfigException(field, value, "a positive duration");
    }
    return value;
  }

  public static int atLeast(String field, int value, int minimum) {
    if (value < minimum) {
      throw new MeshConfigException(field, value, "an integer of at least " + minimum);
    }
    return value;
  }

  public static double percent(String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw new MeshConfigException(field, value, "a percentage from 0 to 100");
    }
    return value;
  }

  public static double ratio(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new MeshConfigException(field, value, "a ratio from 0.0 to 1.0");
    }
    return value;
  }

  public static double positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new MeshConfigException(field, value, "a positive finite number");
    }
    return value;
  }
}
