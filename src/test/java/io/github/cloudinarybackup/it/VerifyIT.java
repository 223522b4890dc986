package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify through the packaged jar: it finds a file overwritten with zeros of the same size, a
 * missing file and a stray one, offline; the next backup repairs what it marked; subsets cover the
 * backup.
 */
class VerifyIT {

  @TempDir Path cwd;

  private JarProcess.Run jar(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("-jar", JarProcess.JAR.toString()));
    command.addAll(List.of(args));
    return JarProcess.run(cwd, env, command.toArray(String[]::new));
  }

  private static long verified(JarProcess.Run run) {
    Matcher m = Pattern.compile("Verified ([\\d,]+) of").matcher(run.out());
    assertTrue(m.find(), run.out());
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  @Test
  void findsASameSizeCorruptionAMissingAndAStrayFileAndTheNextBackupRepairsThem() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(41, 40, FolderMode.FIXED);
    long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      assertEquals(0, jar(env, "--dir", "b").exitCode());
      Path dir = cwd.resolve("b");

      emulator.clearRequests();
      JarProcess.Run clean = jar(Map.of(), "verify", "--dir", "b");
      assertEquals(0, clean.exitCode(), clean.err() + clean.out());
      assertEquals(originals, verified(clean));
      assertTrue(clean.out().contains("  ok          " + originals), clean.out());

      List<String> files = BackupHarness.files(dir);
      String corrupted = files.get(0);
      String removed = files.get(1);
      long size = Files.size(dir.resolve(corrupted));
      Files.write(
          dir.resolve(corrupted),
          new byte[(int) size]); // same size, other bytes: only the MD5 tells
      Files.delete(dir.resolve(removed));
      Files.writeString(dir.resolve("stray.txt"), "not from the account");

      JarProcess.Run found = jar(Map.of(), "verify", "--dir", "b");
      assertEquals(1, found.exitCode(), found.err() + found.out());
      assertTrue(found.out().contains("corrupt    " + corrupted + ": MD5 "), found.out());
      assertTrue(found.out().contains("missing    " + removed + ": no file there"), found.out());
      assertTrue(
          found.out().contains("unexpected stray.txt: no asset of the catalog holds it"),
          found.out());
      assertTrue(
          found.out().contains("The next backup downloads the 2 missing or corrupt files again."),
          found.out());
      assertEquals(List.of(), emulator.requests(), "verify sends nothing to Cloudinary");

      JarProcess.Run repair = jar(env, "--dir", "b");
      assertEquals(0, repair.exitCode(), repair.err() + repair.out());
      assertTrue(repair.out().matches("(?s).*downloaded +2 originals.*"), repair.out());
      Files.delete(dir.resolve("stray.txt"));
      BackupIT.assertCompleteBackup(account, dir);
      JarProcess.Run again = jar(Map.of(), "verify", "--dir", "b");
      assertEquals(0, again.exitCode(), again.err() + again.out());
    }
  }

  @Test
  void subsetsCoverTheBackupAndARandomOneRepeatsWithItsSeed() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(42, 60, FolderMode.DYNAMIC);
    long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      assertEquals(
          0, jar(Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()), "--dir", "b").exitCode());
      long total = 0;
      for (int part = 1; part <= 3; part++) {
        JarProcess.Run run = jar(Map.of("BACKUP_DIR", "b"), "verify", "--subset", part + "/3");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        total += verified(run);
      }
      assertEquals(originals, total, "three parts check every file once");

      JarProcess.Run random = jar(Map.of(), "verify", "--dir", "b", "--subset", "25%");
      assertEquals(0, random.exitCode(), random.err() + random.out());
      Matcher seed = Pattern.compile("seed (-?\\d+)").matcher(random.out());
      assertTrue(seed.find(), random.out());
      assertEquals((long) Math.ceil(originals * 0.25), verified(random));
      JarProcess.Run repeated =
          jar(Map.of(), "verify", "--dir", "b", "--subset", "25%", "--seed", seed.group(1));
      assertEquals(
          random
              .out()
              .lines()
              .filter(l -> l.startsWith("Verified"))
              .findFirst()
              .orElseThrow()
              .replaceAll(" in [\\d.]+ s$", ""),
          repeated
              .out()
              .lines()
              .filter(l -> l.startsWith("Verified"))
              .findFirst()
              .orElseThrow()
              .replaceAll(" in [\\d.]+ s$", ""));
    }
  }

  @Test
  void aFolderWithoutACatalogOrABadSubsetIsExitCodeTwo() throws Exception {
    Files.createDirectories(cwd.resolve("empty"));
    JarProcess.Run none = jar(Map.of(), "verify", "--dir", "empty");
    assertEquals(2, none.exitCode(), none.err() + none.out());
    assertTrue(none.err().startsWith("cloudinary-backup: no catalog at "), none.err());
    assertEquals(List.of(), BackupHarness.files(cwd.resolve("empty")), "verify creates nothing");
    JarProcess.Run bad = jar(Map.of(), "verify", "--dir", "empty", "--subset", "4/3");
    assertEquals(2, bad.exitCode(), bad.err() + bad.out());
    assertTrue(bad.err().contains("--subset n/t needs 1 <= n <= t, got '4/3'"), bad.err());
  }

  @Test
  void remoteReportsWhatChangedUpstreamInOneListingAndWritesNothing() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(43, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      assertEquals(0, jar(env, "--dir", "b").exitCode());
      JarProcess.Run same = jar(env, "verify", "--dir", "b", "--remote");
      assertEquals(0, same.exitCode(), same.err() + same.out());

      List<EmulatedAsset> stored =
          account.assets().stream()
              .filter(EmulatedAsset::hasOriginal)
              .sorted(java.util.Comparator.comparing(EmulatedAsset::publicId))
              .toList();
      EmulatedAsset changed = stored.get(0);
      EmulatedAsset deleted = stored.get(1);
      account.replace(
          changed.toBuilder().version(changed.version() + 7).content(new byte[] {9}).build());
      account.remove(deleted.assetId());
      account.add(
          EmulatedAsset.builder()
              .publicId("brand/new one")
              .format("jpg")
              .content(new byte[] {1, 2})
              .build());
      emulator.clearRequests();
      JarProcess.Run remote = jar(env, "verify", "--dir", "b", "--remote");
      assertEquals(1, remote.exitCode(), remote.err() + remote.out());
      String out = remote.out();
      assertTrue(out.contains("new      image/upload/brand/new one: "), out);
      assertTrue(
          out.contains(
              "changed  "
                  + changed.resourceType()
                  + "/"
                  + changed.type()
                  + "/"
                  + changed.publicId()
                  + ": version "
                  + changed.version()
                  + " in the backup, "
                  + (changed.version() + 7)),
          out);
      assertTrue(
          out.contains(
              "deleted  "
                  + deleted.resourceType()
                  + "/"
                  + deleted.type()
                  + "/"
                  + deleted.publicId()),
          out);
      assertTrue(out.contains("  new      1\n  changed  1\n  deleted  1"), out);
      assertTrue(
          emulator.requests().stream().allMatch(r -> r.kind() == Kind.ADMIN), "nothing downloaded");
      assertTrue(
          emulator.requests().size() <= 2,
          "one call for the settings, one per 500 assets: " + emulator.requests());

      JarProcess.Run noUrl = jar(Map.of(), "verify", "--dir", "b", "--remote");
      assertEquals(2, noUrl.exitCode());
      assertTrue(noUrl.err().contains("set CLOUDINARY_URL"), noUrl.err());
    }
  }
}
