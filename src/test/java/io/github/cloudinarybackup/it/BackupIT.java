package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.files;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static io.github.cloudinarybackup.it.BackupHarness.md5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline (YAML routes, SDK, MapDB, camel-http, the files) against the emulator. */
class BackupIT {

  private static final Set<String> WITH_ORIGINAL = Set.of("upload", "private", "authenticated");

  @TempDir Path tmp;

  @Test
  void fixedModeAccountIsBackedUpCompletelyWithOnePageCallPer500Assets() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(42, 1200, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("fixed");
      Result run = backup(emulator, dir);
      assertEquals(0, run.exitCode(), run.err() + run.out());

      Map<String, Map<String, Object>> manifest = assertCompleteBackup(account, dir);
      Map<String, Long> samePath =
          account.assets().stream()
              .filter(a -> WITH_ORIGINAL.contains(a.type()))
              .collect(Collectors.groupingBy(a -> fold(fixedPath(a)), Collectors.counting()));
      int checked = 0;
      for (EmulatedAsset a : account.assets()) {
        if (WITH_ORIGINAL.contains(a.type())
            && samePath.get(fold(fixedPath(a))) == 1
            && plain(fixedPath(a))) {
          assertEquals(
              fixedPath(a),
              manifest.get(a.assetId()).get("path"),
              "fixed layout mirrors the public_id");
          checked++;
        }
      }
      assertTrue(checked > account.size() / 2, "most paths are plain public_ids: " + checked);

      Map<String, Long> perType =
          account.assets().stream()
              .collect(Collectors.groupingBy(EmulatedAsset::resourceType, Collectors.counting()));
      long pages = 0;
      for (String rt : List.of("image", "video", "raw")) {
        pages += Math.max(1, (perType.getOrDefault(rt, 0L) + 499) / 500);
      }
      // the account's configuration: metadata fields, presets, named transformations (none here),
      // mappings,
      // and the folder search, 500 folders a call
      int folders =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readValue(dir.resolve(".cloudinary-backup/config/folders.json").toFile(), List.class)
              .size();
      long configuration = 4 + Math.max(1, (folders + 499) / 500);
      assertTrue(
          folders > 500, "the account has more folders than one search call returns: " + folders);
      assertEquals(
          1 + pages + configuration,
          count(emulator, RecordedRequest.Kind.ADMIN),
          "one settings call, one call per page, and the configuration's few");

      long signed =
          account.assets().stream()
              .filter(a -> !a.type().equals("upload") && WITH_ORIGINAL.contains(a.type()))
              .count();
      assertTrue(signed > 0);
      assertEquals(
          signed,
          count(emulator, RecordedRequest.Kind.DOWNLOAD),
          "private/authenticated via signed /download");
      assertTrue(
          run.out().contains("Backup of cloud '" + account.cloudName() + "' finished"), run.out());
    }
  }

  @Test
  void dynamicModeMirrorsAssetFoldersAndDisplayNames() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(7, 400, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("dynamic");
      Result run = backup(emulator, dir);
      assertEquals(0, run.exitCode(), run.err() + run.out());
      Map<String, Map<String, Object>> manifest = assertCompleteBackup(account, dir);

      int exact = 0;
      int renamed = 0;
      for (EmulatedAsset a : account.assets()) {
        if (!WITH_ORIGINAL.contains(a.type())) {
          continue;
        }
        String path = (String) manifest.get(a.assetId()).get("path");
        String folder =
            a.assetFolder() == null || a.assetFolder().isEmpty() ? "" : a.assetFolder() + "/";
        assertTrue(path.startsWith(folder), path + " is in the asset folder " + folder);
        String expected =
            folder
                + a.displayName()
                + (a.format() == null || a.displayName().endsWith("." + a.format())
                    ? ""
                    : "." + a.format());
        if (path.equals(expected)) {
          exact++;
        } else if (path.contains("~")) {
          renamed++;
        }
      }
      assertTrue(exact > account.size() / 2, "display names are used as file names: " + exact);
      assertTrue(renamed > 0, "duplicate display names were given their own files");
    }
  }

  @Test
  void aSecondRunOverAnUnchangedAccountDownloadsNothing() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(3, 120, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("twice");
      assertEquals(0, backup(emulator, dir).exitCode());
      emulator.clearRequests();
      Result second = backup(emulator, dir);
      assertEquals(0, second.exitCode(), second.err());
      assertEquals(
          0,
          count(emulator, RecordedRequest.Kind.DELIVERY)
              + count(emulator, RecordedRequest.Kind.DOWNLOAD));
      assertCompleteBackup(account, dir);
    }
  }

  @Test
  void hostilePublicIdsAreSavedInsideTheRootOneFileEach() throws IOException {
    EmulatorAccount account =
        new EmulatorAccount(
            "hostile-cloud", "111222333444555", "hostileSecretValue", FolderMode.FIXED);
    List<String> ids =
        List.of(
            "../../escape",
            "/absolute/path",
            "a//b///c",
            "..",
            ".",
            "%2e%2e/%2e%2e/encoded",
            "..%2F..%2Fx",
            "C:/windows/system32",
            "back\\slash\\..\\..\\x",
            "CON",
            "aux.txt",
            "nul/inside",
            "x".repeat(300),
            "é".repeat(200) + "/deep",
            "Case/Dup",
            "case/dup",
            "CASE/DUP",
            ".cloudinary-backup",
            ".cloudinary-backup/catalog.db",
            ".~cbtemp-looking",
            "trailing.",
            "trailing ",
            "${sys:user.home}",
            "new\nline",
            "tab\tbed",
            "emoji/🎉/ok");
    int n = 0;
    for (String id : ids) {
      account.add(
          EmulatedAsset.builder()
              .assetId(String.format("%032x", ++n))
              .publicId(id)
              .resourceType("image")
              .type(n % 3 == 0 ? "private" : "upload")
              .format("png")
              .version(1000 + n)
              .content(("content of " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .build());
    }
    account.add(
        EmulatedAsset.builder()
            .assetId(String.format("%032x", ++n))
            .publicId("../raw/../../evil.sh")
            .resourceType("raw")
            .type("authenticated")
            .version(5)
            .content(new byte[] {1, 2, 3})
            .build());
    // one public_id under several delivery and resource types, and a raw file named like a folder
    String[][] twins = {
      {"image", "upload", "png"},
      {"image", "private", "png"},
      {"image", "authenticated", "png"},
      {"video", "upload", "png"},
      {"raw", "upload", null},
      {"raw", "private", null}
    };
    for (String[] t : twins) {
      account.add(
          EmulatedAsset.builder()
              .assetId(String.format("%032x", ++n))
              .publicId("twin")
              .resourceType(t[0])
              .type(t[1])
              .format(t[2])
              .version(9)
              .content(("twin " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .build());
    }
    account.add(
        EmulatedAsset.builder()
            .assetId(String.format("%032x", ++n))
            .publicId("Case")
            .resourceType("raw")
            .type("upload")
            .version(9)
            .content(new byte[] {4})
            .build());
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path parent = Files.createDirectories(tmp.resolve("parent"));
      Path dir = parent.resolve("backup");
      Result run = backup(emulator, dir);
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertCompleteBackup(account, dir);
      try (var siblings = Files.list(parent)) {
        assertEquals(List.of(dir), siblings.toList(), "nothing written beside the backup folder");
      }
      assertTrue(
          Files.isRegularFile(dir.resolve(".cloudinary-backup/catalog.db")),
          "the tool's folder is intact");
    }
  }

  @Test
  void aLayoutTemplateAndAForcedFolderModeAreHonoured() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(21, 150, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path templated = tmp.resolve("templated");
      Result run =
          backup(emulator, templated, "backup.layout", "{resource_type}/{type}/{public_id}.{ext}");
      assertEquals(0, run.exitCode(), run.err());
      Map<String, Map<String, Object>> manifest = assertCompleteBackup(account, templated);
      for (EmulatedAsset a : account.assets()) {
        if (WITH_ORIGINAL.contains(a.type())) {
          assertTrue(
              ((String) manifest.get(a.assetId()).get("path"))
                  .startsWith(a.resourceType() + "/" + a.type() + "/"));
        }
      }
      Path forced = tmp.resolve("forced");
      run = backup(emulator, forced, "backup.folder-mode", "fixed");
      assertEquals(0, run.exitCode(), run.err());
      Map<String, Map<String, Object>> fixed = assertCompleteBackup(account, forced);
      long byPublicId =
          account.assets().stream()
              .filter(
                  a ->
                      WITH_ORIGINAL.contains(a.type())
                          && plain(fixedPath(a))
                          && fixedPath(a).equals(fixed.get(a.assetId()).get("path")))
              .count();
      assertTrue(
          byPublicId > account.size() / 2,
          "fixed layout forced on a dynamic account: " + byPublicId);
    }
  }

  @Test
  void aWrongSecretExitsWithTwoAndWritesNothing() {
    EmulatorAccount account = EmulatorAccount.generate(1, 10, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("never");
      String url =
          emulator.cloudinaryUrl().replace(":" + account.apiSecret() + "@", ":WrongSecret123@");
      Result run = backup(Map.of("cloudinary.url", url, "backup.dir", dir.toString()));
      assertEquals(2, run.exitCode());
      assertEquals(
          "cloudinary-backup: authentication failed for cloud '"
              + account.cloudName()
              + "': api_secret mismatch",
          run.err().strip());
      assertFalse(Files.exists(dir), "nothing written");
      assertFalse(run.err().contains("WrongSecret123") || run.out().contains("WrongSecret123"));
    }
  }

  @Test
  void missingCredentialsExitWithTwo() {
    Path dir = tmp.resolve("none");
    Result run = backup(Map.of("backup.dir", dir.toString(), "cloudinary.url", " "));
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("cloudinary-backup: no Cloudinary credentials"), run.err());
    assertFalse(Files.exists(dir));
  }

  /** Every asset is in the manifest; every original is on disk, byte-exact; nothing else is. */
  static Map<String, Map<String, Object>> assertCompleteBackup(EmulatorAccount account, Path dir)
      throws IOException {
    Map<String, Map<String, Object>> manifest = manifest(dir);
    assertEquals(account.size(), manifest.size(), "one manifest line per asset");
    Set<String> expectedFiles = new TreeSet<>();
    Path root = dir.toRealPath();
    for (EmulatedAsset a : account.assets()) {
      Map<String, Object> entry = manifest.get(a.assetId());
      assertEquals(a.publicId(), entry.get("public_id"));
      assertEquals(a.resourceType(), entry.get("resource_type"));
      assertEquals(a.type(), entry.get("type"));
      if (WITH_ORIGINAL.contains(a.type())) {
        assertEquals("ok", entry.get("status"), a.publicId() + ": " + entry.get("reason"));
        String path = (String) entry.get("path");
        Path file = dir.resolve(path);
        assertTrue(file.toRealPath().startsWith(root), path + " stays inside the backup folder");
        assertEquals(a.md5(), md5(file), path);
        assertEquals(a.md5(), entry.get("md5"));
        assertEquals(a.bytes(), ((Number) entry.get("bytes")).longValue());
        assertTrue(expectedFiles.add(path), "one file per asset: " + path);
        assertEquals(a.version(), ((Number) entry.get("version")).longValue());
      } else {
        assertEquals("no-original", entry.get("status"));
        assertNull(entry.get("path"));
      }
    }
    assertEquals(expectedFiles, new TreeSet<>(files(dir)), "no other files, no temporaries");
    Set<String> folded = new HashSet<>();
    for (String f : expectedFiles) {
      assertTrue(folded.add(fold(f)), "no two files differ only in case: " + f);
    }
    return manifest;
  }

  private static long count(CloudinaryEmulator emulator, RecordedRequest.Kind kind) {
    return emulator.requests().stream().filter(r -> r.kind() == kind).count();
  }

  private static String fixedPath(EmulatedAsset a) {
    return a.format() == null ? a.publicId() : a.publicId() + "." + a.format();
  }

  private static boolean plain(String path) {
    return path.chars().noneMatch(c -> "<>:\"\\|?*%".indexOf(c) >= 0 || c < 0x20)
        && !path.endsWith(".")
        && !path.endsWith(" ")
        && !path.contains("//")
        && !path.startsWith("/");
  }

  private static String fold(String path) {
    return path.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }
}
