package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.downloads;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static io.github.cloudinarybackup.it.BackupHarness.md5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups run again and again: only what changed is downloaded, deletions are marked, metadata is
 * kept.
 */
class IncrementalIT {

  @TempDir Path tmp;

  private static Set<String> downloadedPaths(CloudinaryEmulator emulator) {
    return emulator.requests().stream()
        .filter(r -> (r.kind() == Kind.DELIVERY || r.kind() == Kind.DOWNLOAD) && r.status() == 200)
        .map(r -> r.path())
        .collect(Collectors.toSet());
  }

  @Test
  void updatesDeletionsAndAdditionsBetweenRuns() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(51, 300, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("incremental");
      assertEquals(0, backup(emulator, dir).exitCode());

      List<EmulatedAsset> withOriginal =
          account.assets().stream()
              .filter(EmulatedAsset::hasOriginal)
              .sorted(java.util.Comparator.comparing(EmulatedAsset::assetId))
              .toList();
      List<EmulatedAsset> changed = withOriginal.subList(0, 3);
      List<EmulatedAsset> removed = withOriginal.subList(3, 7);
      for (EmulatedAsset a : changed) {
        account.replace(
            a.toBuilder()
                .version(a.version() + 1000)
                .content(("new content of " + a.assetId()).getBytes(StandardCharsets.UTF_8))
                .build());
      }
      removed.forEach(a -> account.remove(a.assetId()));
      Set<String> added = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        String id = String.format("%032x", 0xadded00L + i);
        account.add(
            EmulatedAsset.builder()
                .assetId(id)
                .publicId("new/added_" + i)
                .resourceType("image")
                .type(i == 0 ? "private" : "upload")
                .format("png")
                .version(2_000_000 + i)
                .createdAt(Instant.now())
                .content(("added " + i).getBytes(StandardCharsets.UTF_8))
                .build());
        added.add(id);
      }
      Map<String, Object> removedLine = manifest(dir).get(removed.get(0).assetId());

      emulator.clearRequests();
      Result second = backup(emulator, dir);
      assertEquals(0, second.exitCode(), second.err() + second.out());
      assertEquals(
          changed.size() + added.size(),
          downloads(emulator),
          "exactly the changed and added originals");

      Map<String, Map<String, Object>> manifest = manifest(dir);
      assertEquals(
          account.size() + removed.size(), manifest.size(), "deleted assets stay in the manifest");
      for (EmulatedAsset a : account.assets()) {
        Map<String, Object> line = manifest.get(a.assetId());
        if (a.hasOriginal()) {
          assertEquals("ok", line.get("status"), a.publicId());
          assertEquals(
              a.md5(),
              md5(dir.resolve((String) line.get("path"))),
              "the file holds the current version");
          assertEquals(a.version(), ((Number) line.get("version")).longValue());
        }
      }
      for (EmulatedAsset a : removed) {
        Map<String, Object> line = manifest.get(a.assetId());
        assertEquals("deleted", line.get("status"));
        assertTrue(
            Files.isRegularFile(dir.resolve((String) line.get("path"))),
            "the file of a deleted asset is kept");
        assertEquals(a.md5(), md5(dir.resolve((String) line.get("path"))));
      }
      assertEquals(removedLine.get("path"), manifest.get(removed.get(0).assetId()).get("path"));
      assertTrue(second.out().contains("deleted       4 no longer in the account"), second.out());

      emulator.clearRequests();
      Path manifestFile = dir.resolve(".cloudinary-backup/manifest.jsonl");
      byte[] manifestBefore = Files.readAllBytes(manifestFile);
      Files.setLastModifiedTime(manifestFile, java.nio.file.attribute.FileTime.fromMillis(0));
      Result third = backup(emulator, dir);
      assertEquals(0, third.exitCode(), third.err());
      assertEquals(
          0, downloads(emulator), "a further run downloads nothing: " + downloadedPaths(emulator));
      assertEquals(manifest.keySet(), manifest(dir).keySet());
      assertTrue(third.out().contains("deleted       0 no longer"), third.out());
      for (EmulatedAsset a : removed) {
        assertEquals("deleted", manifest(dir).get(a.assetId()).get("status"));
      }
      // nothing changed: the manifest was left as it was, and the summary still counts the catalog
      assertEquals(
          0, Files.getLastModifiedTime(manifestFile).toMillis(), "the manifest was not rewritten");
      assertArrayEquals(manifestBefore, Files.readAllBytes(manifestFile));
      long remote = account.assets().stream().filter(a -> !a.hasOriginal()).count();
      assertTrue(
          third
              .out()
              .contains(
                  String.format(
                      java.util.Locale.ROOT,
                      "catalog       %,d assets: %,d ok, %,d no original, 0 failed, %,d deleted",
                      account.size() + removed.size(),
                      account.size() - remote,
                      remote,
                      removed.size())),
          third.out());

      // one more deletion: the next run sees one asset fewer, so it reads the catalog and marks it
      EmulatedAsset gone = withOriginal.get(10);
      account.remove(gone.assetId());
      Result fourth = backup(emulator, dir);
      assertEquals(0, fourth.exitCode(), fourth.err());
      assertTrue(fourth.out().contains("deleted       1 no longer in the account"), fourth.out());
      assertEquals("deleted", manifest(dir).get(gone.assetId()).get("status"));
      assertTrue(Files.getLastModifiedTime(manifestFile).toMillis() > 0, "rewritten");
    }
  }

  @Test
  void keepVersionsKeepsThePreviousFileAndPruneMovesDeletedOnesToTheTrash() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(53, 120, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("versions");
      assertEquals(0, backup(emulator, dir).exitCode());
      Map<String, Map<String, Object>> before = manifest(dir);
      List<EmulatedAsset> images =
          account.assets().stream()
              .filter(a -> a.hasOriginal() && a.format() != null)
              .sorted(java.util.Comparator.comparing(EmulatedAsset::assetId))
              .toList();
      EmulatedAsset changed = images.get(0);
      EmulatedAsset removed = images.get(1);
      account.replace(
          changed.toBuilder()
              .version(changed.version() + 1)
              .content("version two".getBytes(StandardCharsets.UTF_8))
              .build());
      account.remove(removed.assetId());

      Result run = backup(emulator, dir, "backup.keep-versions", "true", "backup.prune", "true");
      assertEquals(0, run.exitCode(), run.err());
      Map<String, Map<String, Object>> after = manifest(dir);

      String path = (String) after.get(changed.assetId()).get("path");
      assertEquals(before.get(changed.assetId()).get("path"), path);
      assertEquals(md5OfText("version two"), md5(dir.resolve(path)));
      int dot = path.lastIndexOf('.');
      Path kept =
          dir.resolve(path.substring(0, dot) + ".v" + changed.version() + path.substring(dot));
      assertEquals(changed.md5(), md5(kept), "the previous version is kept beside the new one");

      String oldPath = (String) before.get(removed.assetId()).get("path");
      String trashed = (String) after.get(removed.assetId()).get("path");
      assertEquals("deleted", after.get(removed.assetId()).get("status"));
      assertEquals(".cloudinary-backup/trash/" + oldPath, trashed);
      assertTrue(!Files.exists(dir.resolve(oldPath)), "moved out of the mirror");
      assertEquals(removed.md5(), md5(dir.resolve(trashed)));
    }
  }

  private static String md5OfText(String text) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void tagsContextAndStructuredMetadataAreKept() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(52, 120, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("metadata");
      assertEquals(0, backup(emulator, dir).exitCode());
      Map<String, Map<String, Object>> manifest = manifest(dir);
      int withContext = 0;
      for (EmulatedAsset a : account.assets()) {
        Map<String, Object> line = manifest.get(a.assetId());
        assertEquals(a.tags(), line.get("tags"), a.publicId());
        if (!a.context().isEmpty()) {
          assertEquals(a.context(), ((Map<String, Object>) line.get("context")).get("custom"));
          withContext++;
        }
        if (!a.metadata().isEmpty()) {
          assertEquals(a.metadata(), line.get("metadata"));
        }
      }
      assertTrue(withContext > 0, "the account has context to keep");
    }
  }
}
