package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: from any directory, configured by environment, -D or .env. */
class CommandLineIT {

  @TempDir Path cwd;

  private JarProcess.Run java(Map<String, String> env, String... args) throws Exception {
    return JarProcess.run(cwd, env, args);
  }

  private List<String> cwdEntries() throws IOException {
    try (var list = Files.list(cwd)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theDemoBacksUpTheBuiltInAccountIntoDemoBackup() throws Exception {
    JarProcess.Run run = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--demo");
    assertEquals(0, run.exitCode(), run.err() + run.out());
    assertEquals(List.of("demo-backup"), cwdEntries(), "writes nothing else into the working directory");
    Path dir = cwd.resolve("demo-backup");
    EmulatorAccount demo = EmulatorAccount.demo();
    BackupIT.assertCompleteBackup(demo, dir);
    assertTrue(run.out().contains("Look at the backup in " + dir.toRealPath()), run.out());
  }

  @Test
  void theDemoNeverReachesTheAccountNorTheFolderTheEnvironmentNames() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(13, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // a user's shell (or the launcher's first run, which makes its class archive with the demo) holds the
      // real account and its settings: the demo still backs up its own account into ./demo-backup
      JarProcess.Run run = java(
          Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl(), "BACKUP_DIR", "users-backup", "BACKUP_RESOURCE_TYPES", "raw"),
          "-Dbackup.catalog=users-catalog.db", "-jar", JarProcess.JAR.toString(), "--demo");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertEquals(List.of(), emulator.requests(), "the account in CLOUDINARY_URL is never called");
      assertEquals(List.of("demo-backup"), cwdEntries());
      BackupIT.assertCompleteBackup(EmulatorAccount.demo(), cwd.resolve("demo-backup"));
    }
  }

  @Test
  void dotenvCredentialsAndTheDefaultFolderDownloadsCloudName() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(11, 60, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Files.writeString(
          cwd.resolve(".env"),
          "CLOUD_NAME=" + account.cloudName() + "\nAPI_KEY=" + account.apiKey() + "\nAPI_SECRET=" + account.apiSecret()
              + "\nCLOUDINARY_UPLOAD_PREFIX=" + emulator.baseUri() + "\n");
      JarProcess.Run run = java(Map.of(), "-jar", JarProcess.JAR.toString());
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertEquals(List.of(".env", "downloads"), cwdEntries());
      BackupIT.assertCompleteBackup(account, cwd.resolve("downloads").resolve(account.cloudName()));
      assertFalse((run.out() + run.err()).contains(account.apiSecret()), "the secret is never printed");
    }
  }

  @Test
  void environmentAndSystemPropertiesOverrideTheDefaults() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(12, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run = java(
          Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl(), "BACKUP_RESOURCE_TYPES", "raw"),
          "-Dbackup.dir=from-property", "-jar", JarProcess.JAR.toString());
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertEquals(List.of("from-property"), cwdEntries());
      for (var line : BackupHarness.manifest(cwd.resolve("from-property")).values()) {
        assertEquals("raw", line.get("resource_type"), "BACKUP_RESOURCE_TYPES from the environment applies");
      }
    }
  }

  @Test
  void originalsStreamToDiskWithoutBeingHeldInMemory() throws Exception {
    EmulatorAccount account = new EmulatorAccount("big-cloud", "123451234512345", "bigSecretValue", FolderMode.FIXED);
    int size = 96 * 1024 * 1024;
    account.add(EmulatedAsset.builder().assetId("a".repeat(32)).publicId("videos/huge").resourceType("video")
        .type("upload").format("mp4").version(1).generatedContent(1, size).build());
    account.add(EmulatedAsset.builder().assetId("b".repeat(32)).publicId("vault/huge").resourceType("video")
        .type("private").format("mov").version(1).generatedContent(2, size).build());
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run = java(Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()), "-Xmx48m", "-Dbackup.dir=big", "-jar", JarProcess.JAR.toString());
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("big"));
    }
  }

  @Test
  void aWrongSecretIsOneLineAndExitCodeTwo() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(13, 5, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      String url = emulator.cloudinaryUrl().replace(account.apiSecret(), "NotTheSecret99");
      JarProcess.Run run = java(Map.of("CLOUDINARY_URL", url), "-jar", JarProcess.JAR.toString());
      assertEquals(2, run.exitCode());
      assertEquals(
          List.of("cloudinary-backup: authentication failed for cloud '" + account.cloudName() + "': api_secret mismatch"),
          run.err().lines().filter(l -> !l.isBlank()).toList());
      assertEquals(List.of(), cwdEntries(), "nothing written");
    }
  }

  @Test
  void helpAndUnknownArguments() throws Exception {
    JarProcess.Run help = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--demo"));
    JarProcess.Run bad = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--nope");
    assertEquals(2, bad.exitCode());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertEquals(List.of(), cwdEntries());
    assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(bad.err()));
  }
}
