package dev.meshwork.core.spi;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One read of a file that a source polls for changes (endpoint files, PEM files): its content and a
 * fingerprint that differs whenever a later read saw another version. The fingerprint holds the
 * modification time, size, file key (inode) and SHA-256 of the content, so an atomic rename, the
 * link swap of a mounted Kubernetes ConfigMap or Secret (links are followed), and a rewrite within
 * the file system's time granularity are all new versions. The content is exactly the bytes that
 * were fingerprinted. A file that cannot be read is a version too, with the reason in place of the
 * content.
 */
public final class FileVersion {
  private final Path path;
  private final byte[] content;
  private final IOException failure;
  private final String problem;
  private final String fingerprint;

  private FileVersion(
      Path path, byte[] content, IOException failure, String problem, String fingerprint) {
    this.path = path;
    this.content = content;
    this.failure = failure;
    this.problem = problem;
    this.fingerprint = fingerprint;
  }

  /**
   * Reads {@code path} now; never throws for a file that cannot be read (see {@link #problem()}).
   */
  public static FileVersion read(Path path) {
    Objects.requireNonNull(path, "path");
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return unreadable(
            path, new IOException(path + " is not a regular file"), "it is not a regular file");
      }
      byte[] content = Files.readAllBytes(path);
      String fingerprint =
          "modified="
              + attributes.lastModifiedTime().toInstant()
              + " size="
              + content.length
              + " key="
              + attributes.fileKey()
              + " sha256="
              + sha256(content);
      return new FileVersion(path, content, null, null, fingerprint);
    } catch (NoSuchFileException e) {
      return unreadable(path, e, "it does not exist");
    } catch (AccessDeniedException e) {
      return unreadable(path, e, "permission denied");
    } catch (IOException e) {
      return unreadable(
          path, e, "cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static FileVersion unreadable(Path path, IOException failure, String problem) {
    return new FileVersion(path, null, failure, problem, "unreadable: " + problem);
  }

  /** The file that was read. */
  public Path path() {
    return path;
  }

  /** Equal for two reads of the same version of the file. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Whether {@code other} read the same version of the same file as this read. */
  public boolean sameVersion(FileVersion other) {
    return other != null && path.equals(other.path) && fingerprint.equals(other.fingerprint);
  }

  /**
   * Why the file could not be read ("it does not exist", "permission denied", ...), or empty when
   * it was read.
   */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * A copy of the content read.
   *
   * @throws IOException why the file could not be read ({@link NoSuchFileException} when it was
   *     missing)
   */
  public byte[] content() throws IOException {
    if (content == null) {
      throw failure;
    }
    return content.clone();
  }

  @Override
  public String toString() {
    return path + " (" + fingerprint + ")";
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
