package dev.meshwork.tls.internal;

import dev.meshwork.core.MeshConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One read of a watched file: its content, and a fingerprint (modification time, size and
 * SHA-256 of the content) that tells whether a later read saw another version. The content is
 * parsed from exactly these bytes, so what was fingerprinted is what gets loaded. Symbolic links
 * are followed, so an atomic swap of a link (Kubernetes secrets, Vault agent) is a new version.
 * A file that cannot be read is a version too, with the reason in place of the content.
 */
public final class FileVersion {
  private final Path path;
  private final String field;
  private final String text;
  private final String problem;
  private final String fingerprint;

  private FileVersion(Path path, String field, String text, String problem, String fingerprint) {
    this.path = path;
    this.field = field;
    this.text = text;
    this.problem = problem;
    this.fingerprint = fingerprint;
  }

  /** Reads {@code path}; {@code field} (for example "key file") names it in errors. */
  public static FileVersion read(Path path, String field) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return unreadable(path, field, "it is not a regular file");
      }
      byte[] content = Files.readAllBytes(path);
      String fingerprint = "modified=" + attributes.lastModifiedTime().toMillis()
          + " size=" + content.length + " sha256=" + sha256(content);
      // Latin-1 maps every byte, so garbage reaches the PEM parser (and its clear error) intact.
      return new FileVersion(
          path, field, new String(content, StandardCharsets.ISO_8859_1), null, fingerprint);
    } catch (NoSuchFileException e) {
      return unreadable(path, field, "it does not exist");
    } catch (AccessDeniedException e) {
      return unreadable(path, field, "permission denied");
    } catch (IOException e) {
      return unreadable(path, field, "cannot be read: " + e.getClass().getSimpleName() + " "
          + e.getMessage());
    }
  }

  private static FileVersion unreadable(Path path, String field, String problem) {
    return new FileVersion(path, field, null, problem, "unreadable: " + problem);
  }

  public Path path() {
    return path;
  }

  /** Equal for two reads of the same version of the file. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The content as text; {@link MeshConfigException} naming the file if it was unreadable. */
  public String text() {
    if (text == null) {
      throw new MeshConfigException(field, path, "a readable file (" + problem + ")");
    }
    return text;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
