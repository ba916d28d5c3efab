package dev.meshwork.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario's settings. Each setting has a value for the full form (the figures) and one
 * for the reduced form (what CI runs); {@code --name=value} (or {@code --name value}) and the
 * system property {@code reliability.name} override either. {@code --full} and {@code --reduced}
 * choose the form; the reduced form is the default so that a bare run is short.
 */
public final class Options {
  private final boolean full;
  private final Map<String, String> given;
  private final Map<String, String> used = new TreeMap<>();

  private Options(boolean full, Map<String, String> given) {
    this.full = full;
    this.given = given;
  }

  /** The reduced form with no overrides but system properties. */
  public static Options reduced() {
    return new Options(false, Map.of());
  }

  /** The full form with no overrides but system properties. */
  public static Options full() {
    return new Options(true, Map.of());
  }

  /**
   * Reads {@code --full}, {@code --reduced} and {@code --name=value} or {@code --name value}.
   *
   * @throws IllegalArgumentException naming an argument that is neither
   */
  public static Options parse(String... args) {
    boolean full = false;
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--full")) {
        full = true;
      } else if (arg.equals("--reduced")) {
        full = false;
      } else if (arg.startsWith("--") && arg.contains("=")) {
        given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        given.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(
            "argument '" + arg + "': expected --full, --reduced, --name=value or --name value");
      }
    }
    return new Options(full, given);
  }

  /** A copy with {@code name} set to {@code value}, as if given on the command line. */
  public Options with(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(given);
    next.put(name, value);
    return new Options(full, next);
  }

  /** Whether this is the full form. */
  public boolean isFull() {
    return full;
  }

  /** {@code "full"} or {@code "reduced"}. */
  public String form() {
    return full ? "full" : "reduced";
  }

  public int integer(String name, int fullValue, int reducedValue) {
    String text = raw(name, Integer.toString(full ? fullValue : reducedValue));
    try {
      return Integer.parseInt(text.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting '" + name + "' is '" + text + "': expected a whole number", e);
    }
  }

  public double number(String name, double fullValue, double reducedValue) {
    String text = raw(name, Double.toString(full ? fullValue : reducedValue));
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting '" + name + "' is '" + text + "': expected a number", e);
    }
  }

  public Duration duration(String name, Duration fullValue, Duration reducedValue) {
    String text = raw(name, format(full ? fullValue : reducedValue));
    return parseDuration(name, text);
  }

  public String text(String name, String fullValue, String reducedValue) {
    return raw(name, full ? fullValue : reducedValue);
  }

  /**
   * Where reports go: {@code --out}, else {@code reliability/target} when run from the repository
   * root, else {@code target}.
   */
  public Path output() {
    String fallback = Files.isDirectory(Path.of("reliability")) ? "reliability/target" : "target";
    return Path.of(raw("out", fallback));
  }

  /** Every setting read so far with the value used, for the report. */
  public Map<String, String> used() {
    synchronized (used) {
      return Map.copyOf(used);
    }
  }

  private String raw(String name, String fallback) {
    String value = given.get(name);
    if (value == null) {
      value = System.getProperty("reliability." + name, fallback);
    }
    synchronized (used) {
      used.put(name, value);
    }
    return value;
  }

  /** {@code 90s}, {@code 2m}, {@code 500ms}, {@code 1h} or an ISO-8601 duration such as PT2M. */
  static Duration parseDuration(String name, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long amount = Long.parseLong(t.substring(0, t.length() - 1));
      Duration parsed =
          switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> null;
          };
      if (parsed != null) {
        return parsed;
      }
    } catch (RuntimeException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "setting '" + name + "' is '" + text + "': expected a duration such as 500ms, 90s or 2m");
  }

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
