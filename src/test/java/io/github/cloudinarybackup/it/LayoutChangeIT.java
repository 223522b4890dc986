package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new layout on an existing backup moves each file already backed up to its new place (checked by
 * size and MD5) instead of downloading everything again beside the old tree; a dry run says so
 * first.
 */
class LayoutChangeIT {

  private static final String LAYOUT = "{resource_type}/{type}/{public_id}.{ext}";

  @TempDir Path cwd;

  @Test
  void aNewLayoutMovesTheFilesInsteadOfDownloadingThemAgain() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(31, 60, FolderMode.FIXED);
    long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      Path dir = cwd.resolve("b");
      JarProcess.Run first =
          JarProcess.run(cwd, env, "-jar", JarProcess.JAR.toString(), "--dir", "b");
      assertEquals(0, first.exitCode(), first.err() + first.out());
      Map<String, String> md5Before = md5ByAsset(dir);
      List<String> treeBefore = BackupHarness.files(dir);
      long downloads = downloads(emulator);

      JarProcess.Run dry =
          JarProcess.run(
              cwd,
              env,
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "b",
              "--layout",
              LAYOUT,
              "--dry-run");
      assertEquals(0, dry.exitCode(), dry.err() + dry.out());
      assertTrue(dry.out().contains("a backup would download 0 originals"), dry.out());
      assertTrue(
          dry.out().contains("and move " + originals + " files already backed up"), dry.out());
      assertEquals(treeBefore, BackupHarness.files(dir), "the dry run moved nothing");

      JarProcess.Run moved =
          JarProcess.run(
              cwd, env, "-jar", JarProcess.JAR.toString(), "--dir", "b", "--layout", LAYOUT);
      assertEquals(0, moved.exitCode(), moved.err() + moved.out());
      assertTrue(
          moved.out().contains("(" + originals + " moved to the place the layout now gives them)"),
          moved.out());
      assertEquals(downloads, downloads(emulator), "nothing downloaded again");
      List<String> treeAfter = BackupHarness.files(dir);
      assertEquals(
          treeBefore.size(),
          treeAfter.size(),
          "one file per asset, no old tree beside the new: " + treeAfter);
      for (Map<String, Object> line : BackupHarness.manifest(dir).values()) {
        if (!"ok".equals(line.get("status"))) {
          continue;
        }
        String path = (String) line.get("path");
        assertTrue(path.startsWith(line.get("resource_type") + "/" + line.get("type") + "/"), path);
        assertEquals(
            md5Before.get((String) line.get("asset_id")),
            md5(dir.resolve(path)),
            path + " is the file backed up");
      }
      try (Stream<Path> folders = Files.walk(dir)) {
        List<Path> empty =
            folders.filter(Files::isDirectory).filter(LayoutChangeIT::isEmpty).toList();
        assertEquals(List.of(), empty, "the folders the files left are gone");
      }

      JarProcess.Run again =
          JarProcess.run(
              cwd, env, "-jar", JarProcess.JAR.toString(), "--dir", "b", "--layout", LAYOUT);
      assertEquals(0, again.exitCode(), again.err() + again.out());
      assertFalse(again.out().contains("moved to the place"), again.out());
      assertEquals(treeAfter, BackupHarness.files(dir));
    }
  }

  /** A folder mode forced and then left to the account moves the files the same way. */
  @Test
  void anotherFolderModeMovesTheFilesToo() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(32, 40, FolderMode.DYNAMIC);
    long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      Path dir = cwd.resolve("b");
      JarProcess.Run fixed =
          JarProcess.run(
              cwd, env, "-jar", JarProcess.JAR.toString(), "--dir", "b", "--folder-mode", "fixed");
      assertEquals(0, fixed.exitCode(), fixed.err() + fixed.out());
      long downloads = downloads(emulator);
      JarProcess.Run auto =
          JarProcess.run(cwd, env, "-jar", JarProcess.JAR.toString(), "--dir", "b");
      assertEquals(0, auto.exitCode(), auto.err() + auto.out());
      assertTrue(
          auto.out().contains("(" + originals + " moved to the place the layout now gives them)"),
          auto.out());
      assertEquals(downloads, downloads(emulator), "nothing downloaded again");
      BackupIT.assertCompleteBackup(account, dir);
    }
  }

  private static boolean isEmpty(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long downloads(CloudinaryEmulator emulator) {
    return emulator.requests().stream()
        .filter(r -> r.kind() == Kind.DOWNLOAD || r.kind() == Kind.DELIVERY)
        .count();
  }

  private static Map<String, String> md5ByAsset(Path dir) throws Exception {
    return BackupHarness.manifest(dir).values().stream()
        .filter(line -> "ok".equals(line.get("status")))
        .collect(
            Collectors.toMap(
                line -> (String) line.get("asset_id"),
                line -> {
                  try {
                    return md5(dir.resolve((String) line.get("path")));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
  }

  private static String md5(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("MD5");
    try (InputStream in = Files.newInputStream(file)) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
