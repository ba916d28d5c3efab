package dev.meshwork.tls.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files atomically with chosen POSIX permissions: the content goes to a temporary file in
 * the same directory that is created with those permissions from the start (so a secret is never
 * readable by others, not even for a moment), is flushed to disk, then moved over the target.
 * Readers see the old file or the new one, never half of one.
 */
public final class OwnerOnlyFiles {
  /** rw------- : for private keys. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** rw-r--r-- : for certificates, which are public. */
  public static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private OwnerOnlyFiles() {}

  /** Replaces {@code target} with {@code content}, atomically, with {@code permissions}. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    if (!Files.getFileStore(directory).supportsFileAttributeView("posix")) {
      throw new IOException(
          "cannot write "
              + target
              + ": the file system does not support POSIX permissions,"
              + " so the file could not be restricted to "
              + PosixFilePermissions.toString(permissions));
    }
    FileAttribute<Set<PosixFilePermission>> attribute =
        PosixFilePermissions.asFileAttribute(permissions);
    Path temporary =
        Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp", attribute);
    try {
      // The umask may have removed bits from the creation mode; set exactly what was asked.
      Files.setPosixFilePermissions(temporary, permissions);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
