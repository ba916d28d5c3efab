package dev.meshwork.discovery.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/** Sets system properties for one test and puts back what was there before on {@link #close()}. */
final class SystemProperties implements AutoCloseable {
  private final Map<String, String> previous = new LinkedHashMap<>();

  SystemProperties set(String key, String value) {
    previous.putIfAbsent(key, System.getProperty(key));
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
    return this;
  }

  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    previous.clear();
  }
}
