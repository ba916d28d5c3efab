package dev.meshwork.config.internal;

import java.util.Objects;

/**
 * One document as a live source read it.
 *
 * @param name names the document in problems (a path, {@code classpath:...}, a ConfigMap key)
 * @param text its content
 */
public record SourceText(String name, String text) {
  public SourceText {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }
}
