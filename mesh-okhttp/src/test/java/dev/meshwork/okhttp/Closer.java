package dev.meshwork.okhttp;

import java.util.ArrayList;
import java.util.List;

/** Closes what a test opened, newest first, even when the test failed half-way. */
public final class Closer implements AutoCloseable {
  private final List<AutoCloseable> resources = new ArrayList<>();

  public <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }
}
