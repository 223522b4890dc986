package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.downloads;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A catalog that is lost, emptied or damaged is rebuilt from manifest.jsonl and the files on disk:
 * nothing on disk is downloaded again, every asset keeps its path, and a file that no longer
 * matches the manifest is downloaded again to the same place.
 */
class CatalogRebuildIT {

  @TempDir Path tmp;

  /** Two assets that want the same file, and a third, in dynamic folder mode. */
  private static EmulatorAccount collidingAccount() {
    EmulatorAccount account =
        new EmulatorAccount(
            "rebuild-cloud", "111222333444555", "rebuildSecret", FolderMode.DYNAMIC);
    account.add(asset("a".repeat(32), "logo_a", "2024-01-02T00:00:00Z", 1));
    account.add(asset("b".repeat(32), "logo_b", "2024-01-01T00:00:00Z", 2));
    account.add(
        EmulatedAsset.builder()
            .assetId("c".repeat(32))
            .publicId("banner")
            .resourceType("image")
            .type("upload")
            .format("jpg")
            .assetFolder("shared")
            .displayName("banner")
            .createdAt(Instant.parse("2024-01-03T00:00:00Z"))
            .generatedContent(3, 3000)
            .build());
    return account;
  }

  private static EmulatedAsset asset(String id, String publicId, String created, long seed) {
    return EmulatedAsset.builder()
        .assetId(id)
        .publicId(publicId)
        .resourceType("image")
        .type("upload")
        .format("png")
        .assetFolder("shared")
        .displayName("logo")
        .createdAt(Instant.parse(created))
        .generatedContent(seed, 2000)
        .build();
  }

  private static Map<String, Object> paths(Path dir) throws IOException {
    Map<String, Object> paths = new TreeMap<>();
    manifest(dir).forEach((id, line) -> paths.put(id, line.get("path")));
    return paths;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deleted", "emptied", "damaged"})
  void aLostCatalogIsRebuiltAndEveryAssetKeepsItsFile(String what) throws IOException {
    EmulatorAccount account = collidingAccount();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve(what);
      assertEquals(0, backup(emulator, dir).exitCode());
      Map<String, Object> before = paths(dir);
      assertNotEquals(before.get("a".repeat(32)), before.get("b".repeat(32)));
      Path catalog = dir.resolve(".cloudinary-backup/catalog.db");
      switch (what) {
        case "deleted" -> Files.delete(catalog);
        case "emptied" -> Files.write(catalog, new byte[0]);
        default -> {
          byte[] garbage = new byte[(int) Files.size(catalog)];
          new java.util.Random(11).nextBytes(garbage);
          Files.write(catalog, garbage);
        }
      }
      // the two that collide now come in the other order: a new catalog would give the name to the
      // other
      account.replace(
          account.byAssetId("a".repeat(32)).orElseThrow().toBuilder()
              .createdAt(Instant.parse("2023-12-31T00:00:00Z"))
              .build());

      emulator.clearRequests();
      Result again = backup(emulator, dir);
      assertEquals(0, again.exitCode(), again.err() + again.out());
      assertEquals(0, downloads(emulator), "nothing on disk is downloaded again");
      assertEquals(before, paths(dir), "every asset keeps its path");
      BackupIT.assertCompleteBackup(account, dir);
    }
  }

  @Test
  void aFileThatNoLongerMatchesTheManifestIsDownloadedAgainToTheSamePlace() throws IOException {
    EmulatorAccount account = collidingAccount();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("changed");
      assertEquals(0, backup(emulator, dir).exitCode());
      Map<String, Object> before = paths(dir);
      Path file = dir.resolve(before.get("b".repeat(32)).toString());
      Files.write(file, new byte[(int) Files.size(file)]); // same size, other bytes
      Files.delete(dir.resolve(".cloudinary-backup/catalog.db"));

      emulator.clearRequests();
      Result again = backup(emulator, dir);
      assertEquals(0, again.exitCode(), again.err() + again.out());
      assertEquals(1, downloads(emulator), "only the file that differs");
      assertEquals(before, paths(dir));
      BackupIT.assertCompleteBackup(account, dir);
      assertTrue(again.out().contains("downloaded    1 originals"), again.out());
    }
  }
}
