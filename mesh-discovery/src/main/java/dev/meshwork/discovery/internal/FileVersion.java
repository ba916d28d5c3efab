package dev.meshwork.discovery.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells one version of a file from the next without reading it: modification time, size and
 * file key (the inode). Links are followed, so a Kubernetes volume that swaps its {@code ..data}
 * link, or an atomic rename, shows as a new version even when time and size happen to match.
 */
record FileVersion(FileTime modified, long size, Object key) {

  static FileVersion of(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    return new FileVersion(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
  }
}
