package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is ever written outside the backup folder, and what is written is the owner's only. */
class BackupFolderSafetyIT {

  private static final byte[] OUTSIDE =
      "outside, must stay as it is".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  /** Fixed folder mode: every original's path is its public_id; a few in folder "products". */
  private static EmulatorAccount account() {
    EmulatorAccount account =
        new EmulatorAccount("safe-cloud", "123123123123123", "safeSecretValue", FolderMode.FIXED);
    for (int i = 0; i < 6; i++) {
      account.add(
          EmulatedAsset.builder()
              .publicId("products/item_" + i)
              .resourceType("image")
              .type(i == 5 ? "private" : "upload")
              .format("jpg")
              .generatedContent(i, 1500 + i)
              .build());
    }
    account.add(
        EmulatedAsset.builder()
            .publicId("logo")
            .resourceType("image")
            .type("upload")
            .format("png")
            .generatedContent(99, 900)
            .build());
    return account;
  }

  private List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.equals(dir)).toList();
    }
  }

  @Test
  void aFolderOfTheBackupThatLinksOutsideIsRefusedWithOneLineThatNamesIt() throws IOException {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account())) {
      Path dir = Files.createDirectories(tmp.resolve("backup"));
      Path outside = Files.createDirectories(tmp.resolve("outside"));
      Files.createSymbolicLink(dir.resolve("products"), outside);

      Result refused = backup(emulator, dir);
      assertEquals(2, refused.exitCode(), refused.out() + refused.err());
      String err = refused.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(
          err.contains("'products'")
              && err.contains("symbolic link")
              && err.contains("backup.follow-symlinks"),
          err);
      assertEquals(List.of(), filesUnder(outside), "nothing written outside the backup folder");

      // the user says the link is meant: written through it
      Result through = backup(emulator, dir, "backup.follow-symlinks", "true");
      assertEquals(0, through.exitCode(), through.err());
      assertEquals(6, filesUnder(outside).size(), filesUnder(outside).toString());
    }
  }

  @Test
  void theToolsOwnFolderAsALinkIsRefusedBeforeTheCatalogInItIsOpened() throws IOException {
    EmulatorAccount account = account();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path first = tmp.resolve("first");
      assertEquals(0, backup(emulator, first).exitCode());
      Path dir = Files.createDirectories(tmp.resolve("second"));
      Files.createSymbolicLink(
          dir.resolve(".cloudinary-backup"), first.resolve(".cloudinary-backup"));
      byte[] catalog = Files.readAllBytes(first.resolve(".cloudinary-backup/catalog.db"));
      Result refused = backup(emulator, dir);
      assertEquals(2, refused.exitCode(), refused.err());
      assertTrue(
          refused.err().contains("'.cloudinary-backup'") && refused.err().contains("symbolic link"),
          refused.err());
      assertArrayEquals(
          catalog,
          Files.readAllBytes(first.resolve(".cloudinary-backup/catalog.db")),
          "not written through");
    }
  }

  @Test
  void aLinkPlantedAtATemporaryNameOrAtAFileIsReplacedNeverWrittenThrough() throws IOException {
    EmulatorAccount account = account();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = Files.createDirectories(tmp.resolve("backup"));
      Path victim = Files.write(tmp.resolve("victim.txt"), OUTSIDE);
      Path victim2 = Files.write(tmp.resolve("victim2.txt"), OUTSIDE);
      Path victim3 = Files.write(tmp.resolve("victim3.txt"), OUTSIDE);
      Files.createDirectories(dir.resolve("products"));
      Files.createSymbolicLink(dir.resolve(".~cblogo.png"), victim);
      Files.createSymbolicLink(dir.resolve("products/.~cbitem_1.jpg.cloudinary.json"), victim2);
      Files.createSymbolicLink(dir.resolve("products/item_2.jpg"), victim3);

      Result run = backup(emulator, dir, "backup.sidecars", "true");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      for (Path v : List.of(victim, victim2, victim3)) {
        assertArrayEquals(OUTSIDE, Files.readAllBytes(v), v + " was written through a link");
      }
      for (String file :
          List.of("logo.png", "products/item_1.jpg.cloudinary.json", "products/item_2.jpg")) {
        assertTrue(
            Files.isRegularFile(dir.resolve(file), LinkOption.NOFOLLOW_LINKS),
            file + " is a file of its own");
      }
      try (Stream<Path> sidecars = Files.walk(dir)) {
        for (Path sidecar :
            sidecars.filter(p -> p.toString().endsWith(".cloudinary.json")).toList()) {
          Files.delete(sidecar);
        }
      }
      BackupIT.assertCompleteBackup(account, dir);
    }
  }

  @Test
  void foldersAndFilesAreTheOwnersOnlyUnlessTheUmaskIsAskedFor() throws IOException {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account())) {
      Path dir = tmp.resolve("private");
      assertEquals(0, backup(emulator, dir).exitCode());
      Map<String, Map<String, Object>> manifest = manifest(dir);
      assertEquals("rwx------", permissions(dir));
      assertEquals("rwx------", permissions(dir.resolve("products")));
      assertEquals("rwx------", permissions(dir.resolve(".cloudinary-backup")));
      for (Map<String, Object> line : manifest.values()) {
        assertEquals(
            "rw-------",
            permissions(dir.resolve(line.get("path").toString())),
            line.get("path").toString());
      }
      for (String state : List.of("catalog.db", "manifest.jsonl")) {
        assertEquals(
            "rw-------", permissions(dir.resolve(".cloudinary-backup").resolve(state)), state);
      }

      Path shared = tmp.resolve("shared");
      assertEquals(0, backup(emulator, shared, "backup.file-permissions", "umask").exitCode());
      // as any program makes them under this process's umask
      assertEquals(
          permissions(Files.createDirectory(tmp.resolve("made-here"))),
          permissions(shared.resolve("products")));
      assertEquals(
          permissions(Files.createFile(tmp.resolve("made-here.txt"))),
          permissions(shared.resolve("logo.png")));
    }
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
  }
}
