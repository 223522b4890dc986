package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.downloads;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup.dry-run lists and compares with the catalog, reports, and writes nothing. */
class DryRunIT {

  @TempDir Path tmp;

  @Test
  void reportsWhatABackupWouldDoWithoutWritingAnything() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(71, 200, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("dry");
      Result first = backup(emulator, dir, "backup.dry-run", "true");
      assertEquals(0, first.exitCode(), first.err());
      assertFalse(Files.exists(dir), "a dry run creates nothing");
      assertEquals(0, downloads(emulator));
      long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
      long bytes =
          account.assets().stream()
              .filter(EmulatedAsset::hasOriginal)
              .mapToLong(EmulatedAsset::bytes)
              .sum();
      assertTrue(
          first
              .out()
              .contains(
                  String.format(
                      Locale.ROOT,
                      "a backup would download %,d originals, %,.1f MB",
                      originals,
                      bytes / 1e6)),
          first.out());

      assertEquals(0, backup(emulator, dir).exitCode());
      List<EmulatedAsset> images =
          account.assets().stream()
              .filter(a -> a.hasOriginal() && a.resourceType().equals("image"))
              .sorted(Comparator.comparing(EmulatedAsset::assetId))
              .toList();
      for (EmulatedAsset a : images.subList(0, 2)) {
        account.replace(
            a.toBuilder()
                .version(a.version() + 5)
                .content("changed".getBytes(StandardCharsets.UTF_8))
                .build());
      }
      images.subList(2, 5).forEach(a -> account.remove(a.assetId()));
      for (int i = 0; i < 4; i++) {
        account.add(
            EmulatedAsset.builder()
                .assetId(String.format("%032x", 0xd00d00L + i))
                .publicId("dry/new_" + i)
                .resourceType("image")
                .type("upload")
                .format("jpg")
                .version(9)
                .createdAt(Instant.now())
                .content(("new " + i).getBytes(StandardCharsets.UTF_8))
                .build());
      }
      byte[] manifestBefore = Files.readAllBytes(dir.resolve(".cloudinary-backup/manifest.jsonl"));
      // a catalog from before redo files: the dry run must not add one
      Files.delete(dir.resolve(".cloudinary-backup/catalog.db.redo"));
      List<String> stateBefore = list(dir.resolve(".cloudinary-backup"));
      emulator.clearRequests();

      Result second = backup(emulator, dir, "backup.dry-run", "true");
      assertEquals(
          stateBefore,
          list(dir.resolve(".cloudinary-backup")),
          "a dry run adds no file beside the catalog");
      assertEquals(0, second.exitCode(), second.err());
      assertEquals(0, downloads(emulator), "a dry run downloads nothing");
      assertTrue(second.out().contains("image  new 4 ("), second.out());
      assertTrue(second.out().contains("changed 2 ("), second.out());
      assertTrue(second.out().contains("deleted 3 (catalogued"), second.out());
      assertTrue(
          java.util.Arrays.equals(
              manifestBefore,
              Files.readAllBytes(dir.resolve(".cloudinary-backup/manifest.jsonl"))));

      // the catalog was not touched: a real run still finds exactly those changes to make
      Result real = backup(emulator, dir);
      assertEquals(0, real.exitCode(), real.err());
      assertEquals(
          6, downloads(emulator), "the real run downloads the 2 changed and 4 new originals");
      assertTrue(real.out().contains("deleted       3 no longer"), real.out());
      assertEquals(account.size() + 3, manifest(dir).size());
    }
  }

  private static List<String> list(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
