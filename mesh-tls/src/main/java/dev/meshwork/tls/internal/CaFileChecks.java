package dev.meshwork.tls.internal;

import dev.meshwork.core.exception.MeshConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses CA files that someone else could have replaced or read. Whoever can write the CA
 * directory or its files can swap in a root of their own, and then every identity issued from it,
 * and every bundle written, is rooted in their CA; whoever can read the key can issue certificates
 * themselves.
 */
public final class CaFileChecks {
  private static final Logger log = LoggerFactory.getLogger(CaFileChecks.class);
  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final Set<PosixFilePermission> ANY_ACCESS_BY_OTHERS =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private CaFileChecks() {}

  /** Refuses a CA directory not owned by the current user or writable by group or others. */
  public static void requirePrivateDirectory(Path directory) throws IOException {
    check("CA directory", directory, WRITABLE_BY_OTHERS, "not writable by group or others");
  }

  /** Refuses a CA certificate file not owned by the current user or writable by others. */
  public static void requireUnmodifiableByOthers(Path certificateFile) throws IOException {
    check(
        "CA certificate file",
        certificateFile,
        WRITABLE_BY_OTHERS,
        "not writable by group or others");
  }

  /** Refuses a CA key file not owned by the current user or with any access by others. */
  public static void requireOwnerOnly(Path keyFile) throws IOException {
    check("CA key file", keyFile, ANY_ACCESS_BY_OTHERS, "permissions rw------- (owner only)");
  }

  private static void check(
      String field, Path path, Set<PosixFilePermission> forbidden, String expected)
      throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (posix == null) {
      checkOwnerOnly(field, path, expected);
      return;
    }
    var attributes = posix.readAttributes();
    UserPrincipal user = currentUser(path);
    Set<PosixFilePermission> found = attributes.permissions();
    boolean exposed = found.stream().anyMatch(forbidden::contains);
    if (!attributes.owner().equals(user) || exposed) {
      throw new MeshConfigException(
          field,
          path,
          "owned by "
              + user.getName()
              + " and "
              + expected
              + " (found owner "
              + attributes.owner().getName()
              + ", permissions "
              + PosixFilePermissions.toString(found)
              + ")");
    }
  }

  private static void checkOwnerOnly(String field, Path path, String expected) throws IOException {
    FileOwnerAttributeView owner = Files.getFileAttributeView(path, FileOwnerAttributeView.class);
    if (owner == null) {
      log.warn(
          "The file system of {} {} has neither POSIX permissions nor owners: neither its"
              + " owner nor that it is {} was checked",
          field,
          path,
          expected);
      return;
    }
    UserPrincipal user = currentUser(path);
    if (!owner.getOwner().equals(user)) {
      throw new MeshConfigException(
          field,
          path,
          "owned by " + user.getName() + " (found owner " + owner.getOwner().getName() + ")");
    }
    log.warn(
        "The file system of {} {} has no POSIX permissions: its owner was checked, but not"
            + " that it is {}",
        field,
        path,
        expected);
  }

  /** The user this process runs as, as the file system of {@code path} names it. */
  private static UserPrincipal currentUser(Path path) throws IOException {
    try {
      return path.getFileSystem()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (UserPrincipalNotFoundException | UnsupportedOperationException e) {
      // A user without a name (such as an arbitrary container UID): a new file is owned by it.
      Path probe = Files.createTempFile("meshwork-owner", ".tmp");
      try {
        return Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
    }
  }
}
