package dev.meshwork.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A polled file's versions: every way a file is replaced in practice is a new version. */
class FileVersionTest {
  private static final FileTime SAME_TIME = FileTime.fromMillis(1_700_000_000_000L);

  @TempDir Path dir;

  private Path write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, SAME_TIME);
    return file;
  }

  @Test
  void unchangedFileIsTheSameVersionAndItsContentIsWhatWasRead() throws Exception {
    Path file = write(dir.resolve("endpoints.yaml"), "mathoid: []");
    FileVersion first = FileVersion.read(file);
    assertTrue(first.sameVersion(FileVersion.read(file)));
    assertArrayEquals("mathoid: []".getBytes(StandardCharsets.UTF_8), first.content());
    assertEquals(Optional.empty(), first.problem());
  }

  @Test
  void rewriteWithinOneTimestampTickAndSameSizeIsANewVersion() throws Exception {
    Path file = write(dir.resolve("endpoints.yaml"), "a: 1");
    FileVersion before = FileVersion.read(file);
    write(file, "a: 2"); // same size, same modification time, same inode
    assertFalse(before.sameVersion(FileVersion.read(file)));
  }

  @Test
  void atomicRenameIsANewVersion() throws Exception {
    Path file = write(dir.resolve("endpoints.yaml"), "a: 1");
    FileVersion before = FileVersion.read(file);
    Path next = write(dir.resolve("endpoints.yaml.tmp"), "a: 2");
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    FileVersion after = FileVersion.read(file);
    assertFalse(before.sameVersion(after));
    assertEquals("a: 2", new String(after.content(), StandardCharsets.UTF_8));
  }

  @Test
  void configMapLinkSwapIsANewVersion() throws Exception {
    // Kubernetes mounts file -> ..data/file, ..data -> ..<timestamp>, and swaps ..data atomically.
    Files.createDirectories(dir.resolve("..v1"));
    Files.createDirectories(dir.resolve("..v2"));
    write(dir.resolve("..v1/endpoints.yaml"), "a: 1");
    write(dir.resolve("..v2/endpoints.yaml"), "a: 2");
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..v1"));
    Path file =
        Files.createSymbolicLink(
            dir.resolve("endpoints.yaml"), dir.resolve("..data/endpoints.yaml"));
    FileVersion before = FileVersion.read(file);
    Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), dir.resolve("..v2"));
    Files.move(
        swap,
        dir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    FileVersion after = FileVersion.read(file);
    assertFalse(before.sameVersion(after));
    assertEquals("a: 2", new String(after.content(), StandardCharsets.UTF_8));
  }

  @Test
  void missingFileIsAVersionWithItsReason() throws Exception {
    Path file = dir.resolve("absent.yaml");
    FileVersion missing = FileVersion.read(file);
    assertEquals(Optional.of("it does not exist"), missing.problem());
    assertThrows(NoSuchFileException.class, missing::content);
    assertTrue(missing.sameVersion(FileVersion.read(file)));
    assertFalse(missing.sameVersion(FileVersion.read(write(file, "a: 1"))));
  }

  @Test
  void directoryIsNotAFile() {
    FileVersion version = FileVersion.read(dir);
    assertEquals(Optional.of("it is not a regular file"), version.problem());
  }
}
