package io.github.cloudinarybackup.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing into the backup folder on a real filesystem, links planted where an attacker would. */
class BackupFolderTest {

  private static final byte[] KEEP = "not yours".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  @Test
  void aLinkedFolderIsRefusedAndNamedUnlessLinksAreAllowed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("backup"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(root.resolve("a"));
    Files.createSymbolicLink(root.resolve("a/b"), outside);
    UnsafeFolderException refused =
        assertThrows(
            UnsafeFolderException.class,
            () -> new BackupFolder(root, false, true).prepare("a/b/c/file.jpg"));
    assertEquals("a/b", refused.folder());
    assertTrue(refused.getMessage().contains(outside.toString()), refused.getMessage());
    assertFalse(Files.exists(outside.resolve("c")), "nothing created through the link");

    Path file = new BackupFolder(root, true, true).prepare("a/b/c/file.jpg");
    assertTrue(Files.isDirectory(outside.resolve("c")), "allowed: written through");
    assertEquals(root.resolve("a/b/c/file.jpg"), file);
  }

  @Test
  void aTemporaryNameHeldByALinkIsReplacedNotWrittenThrough() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("backup"));
    Path victim = Files.write(tmp.resolve("victim"), KEEP);
    BackupFolder folder = new BackupFolder(root, false, true);
    Path target = folder.prepare("x.jpg");
    Files.createSymbolicLink(BackupFolder.temporaryFor(target), victim);
    folder.writeAtomically("x.jpg", out -> out.write(1));
    assertArrayEquals(KEEP, Files.readAllBytes(victim));
    assertTrue(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(BackupFolder.temporaryFor(target), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aLinkAtTheFileItselfIsReplacedAndNeverCountsAsTheBackupsFile() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("backup"));
    Path victim = Files.write(tmp.resolve("victim"), KEEP);
    BackupFolder folder = new BackupFolder(root, false, true);
    Files.createSymbolicLink(root.resolve("x.jpg"), victim);
    assertFalse(folder.holds("x.jpg", KEEP.length), "a link is not the backup's file");
    folder.writeAtomically("x.jpg", out -> out.write(new byte[] {1, 2}));
    assertArrayEquals(KEEP, Files.readAllBytes(victim));
    assertTrue(folder.holds("x.jpg", 2));
  }

  @Test
  void foldersAndFilesAreOwnerOnlyAndNothingResolvesOutside() throws Exception {
    Path root = tmp.resolve("backup");
    BackupFolder folder = new BackupFolder(root, false, true);
    folder.createRoot();
    folder.writeAtomically("d/e/f.txt", out -> out.write(1));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("d/e"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("d/e/f.txt"))));
    assertThrows(IllegalArgumentException.class, () -> folder.resolve("../escape"));
    assertThrows(IllegalArgumentException.class, () -> folder.resolve("d/../../escape"));
  }

  @Test
  void aFileWhereAFolderMustGoIsALocalFailureThatNamesIt() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("backup"));
    Files.write(root.resolve("docs"), KEEP);
    LocalWriteException e =
        assertThrows(
            LocalWriteException.class,
            () -> new BackupFolder(root, false, true).prepare("docs/x.pdf"));
    assertTrue(e.getMessage().contains("docs") && !e.diskFull(), e.getMessage());
  }

  /**
   * A stopping run closes the folder for writing: the temporaries not yet renamed go, even one a
   * thread is still writing, and none is created after (InterruptIT once found seven left by a
   * SIGINT in the first seconds, by downloads that went on writing while the process ended).
   */
  @Test
  void closingForWritingRemovesTheTemporariesAndRefusesNewOnes() throws Exception {
    Path root = tmp.resolve("backup");
    BackupFolder folder = new BackupFolder(root, false, true);
    folder.createRoot();
    Path done = folder.prepare("a/done.jpg");
    try (var out = folder.createTemporary(BackupFolder.temporaryFor(done))) {
      out.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    folder.moveIntoPlace(BackupFolder.temporaryFor(done), done);
    Path writing = folder.prepare("a/b/writing.jpg");
    var open = folder.createTemporary(BackupFolder.temporaryFor(writing));
    open.write(java.nio.ByteBuffer.wrap(new byte[] {4, 5}));

    assertEquals(1, folder.closeForWriting());
    assertFalse(
        Files.exists(BackupFolder.temporaryFor(writing)), "the temporary being written is gone");
    assertTrue(Files.exists(done), "a file in place stays");
    open.write(java.nio.ByteBuffer.wrap(new byte[] {6})); // the writer goes on unaware...
    open.close();
    assertThrows(
        LocalWriteException.class,
        () -> folder.moveIntoPlace(BackupFolder.temporaryFor(writing), writing));
    assertFalse(Files.exists(writing), "...and its file never takes its place");
    Path later = folder.prepare("c/later.jpg");
    assertThrows(
        java.io.IOException.class, () -> folder.createTemporary(BackupFolder.temporaryFor(later)));
    assertFalse(
        Files.exists(BackupFolder.temporaryFor(later)), "no temporary after the folder is closed");
  }
}
