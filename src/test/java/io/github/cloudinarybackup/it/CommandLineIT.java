package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.config.BackupSettings;
import io.github.cloudinarybackup.config.Setting;
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

/**
 * The packaged jar as a user runs it: from any directory, configured by environment, -D or .env.
 */
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
    assertEquals(
        List.of("demo-backup"), cwdEntries(), "writes nothing else into the working directory");
    Path dir = cwd.resolve("demo-backup");
    EmulatorAccount demo = EmulatorAccount.demo();
    BackupIT.assertCompleteBackup(demo, dir);
    assertTrue(run.out().contains("Look at the backup in " + dir.toRealPath()), run.out());
  }

  @Test
  void theDemoNeverReachesTheAccountNorTheFolderTheEnvironmentNames() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(13, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // a user's shell (or the launcher's first run, which makes its class archive with the demo)
      // holds the
      // real account and its settings: the demo still backs up its own account into ./demo-backup
      JarProcess.Run run =
          java(
              Map.of(
                  "CLOUDINARY_URL",
                  emulator.cloudinaryUrl(),
                  "BACKUP_DIR",
                  "users-backup",
                  "BACKUP_RESOURCE_TYPES",
                  "raw"),
              "-Dbackup.catalog=users-catalog.db",
              "-jar",
              JarProcess.JAR.toString(),
              "--demo");
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
          "CLOUD_NAME="
              + account.cloudName()
              + "\nAPI_KEY="
              + account.apiKey()
              + "\nAPI_SECRET="
              + account.apiSecret()
              + "\nCLOUDINARY_UPLOAD_PREFIX="
              + emulator.baseUri()
              + "\n");
      JarProcess.Run run = java(Map.of(), "-jar", JarProcess.JAR.toString());
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertEquals(List.of(".env", "downloads"), cwdEntries());
      BackupIT.assertCompleteBackup(account, cwd.resolve("downloads").resolve(account.cloudName()));
      assertFalse(
          (run.out() + run.err()).contains(account.apiSecret()), "the secret is never printed");
    }
  }

  @Test
  void environmentAndSystemPropertiesOverrideTheDefaults() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(12, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run =
          java(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl(), "BACKUP_RESOURCE_TYPES", "raw"),
              "-Dbackup.dir=from-property",
              "-jar",
              JarProcess.JAR.toString());
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertEquals(List.of("from-property"), cwdEntries());
      for (var line : BackupHarness.manifest(cwd.resolve("from-property")).values()) {
        assertEquals(
            "raw", line.get("resource_type"), "BACKUP_RESOURCE_TYPES from the environment applies");
      }
    }
  }

  @Test
  void originalsStreamToDiskWithoutBeingHeldInMemory() throws Exception {
    EmulatorAccount account =
        new EmulatorAccount("big-cloud", "123451234512345", "bigSecretValue", FolderMode.FIXED);
    int size = 96 * 1024 * 1024;
    account.add(
        EmulatedAsset.builder()
            .assetId("a".repeat(32))
            .publicId("videos/huge")
            .resourceType("video")
            .type("upload")
            .format("mp4")
            .version(1)
            .generatedContent(1, size)
            .build());
    account.add(
        EmulatedAsset.builder()
            .assetId("b".repeat(32))
            .publicId("vault/huge")
            .resourceType("video")
            .type("private")
            .format("mov")
            .version(1)
            .generatedContent(2, size)
            .build());
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run =
          java(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-Xmx48m",
              "-Dbackup.dir=big",
              "-jar",
              JarProcess.JAR.toString());
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
          List.of(
              "cloudinary-backup: authentication failed for cloud '"
                  + account.cloudName()
                  + "': api_secret mismatch"),
          run.err().lines().filter(l -> !l.isBlank()).toList());
      assertEquals(List.of(), cwdEntries(), "nothing written");
    }
  }

  @Test
  void helpAndUnknownArguments() throws Exception {
    JarProcess.Run help = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--help");
    assertEquals(0, help.exitCode());
    for (String command : List.of("backup", "verify", "restore", "demo", "emulator")) {
      assertTrue(help.out().contains("\n  " + command + " "), help.out());
    }
    JarProcess.Run bad = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--nope");
    assertEquals(2, bad.exitCode());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertEquals(List.of(), cwdEntries());
    assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(bad.err()));
  }

  /** A backup folder that cannot be made says why, as the operating system states it. */
  @Test
  void aFolderThatCannotBeMadeSaysWhy() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(15, 5, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Files.writeString(cwd.resolve("a-file"), "not a folder");
      JarProcess.Run inTheWay =
          java(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "a-file/backup");
      assertEquals(2, inTheWay.exitCode(), inTheWay.err() + inTheWay.out());
      assertEquals(
          List.of(
              "cloudinary-backup: cannot write to the backup folder "
                  + cwd.resolve("a-file/backup")
                  + ": "
                  + cwd.resolve("a-file")
                  + ": File exists (a file is where a folder must go)"),
          inTheWay.err().lines().filter(l -> !l.isBlank()).toList());

      // procfs refuses new entries: the reason is the one mkdir(2) gives, not the path again
      JarProcess.Run refused =
          java(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "/proc/cloudinary-backup-test");
      assertEquals(2, refused.exitCode(), refused.err() + refused.out());
      assertTrue(
          refused
              .err()
              .startsWith(
                  "cloudinary-backup: cannot write to the backup folder /proc/cloudinary-backup-test: "),
          refused.err());
      assertFalse(refused.err().strip().endsWith("/proc/cloudinary-backup-test"), refused.err());
    }
  }

  /**
   * In dynamic folder mode a public_id does not carry the folder: a prefix says how to filter by
   * folder.
   */
  @Test
  void aPrefixInDynamicFolderModePointsToTheSearchExpression() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(16, 20, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run =
          java(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "b",
              "--prefix",
              "shop/");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertTrue(
          (run.out() + run.err())
              .contains(
                  "backup.prefix 'shop/' is matched against public_ids, which in dynamic folder"
                      + " mode do not carry the asset's folder; to back up a folder use --search-expression \"asset_folder:shop/*\" instead"),
          run.out() + run.err());
    }
  }

  /** backup --help lists every setting: its option, its environment variable and its default. */
  @Test
  void backupHelpListsEverySettingWithItsDefault() throws Exception {
    JarProcess.Run help = java(Map.of(), "-jar", JarProcess.JAR.toString(), "backup", "--help");
    assertEquals(0, help.exitCode(), help.err());
    String text = help.out().replaceAll("\\s+", " ");
    for (Setting setting : BackupSettings.ALL) {
      assertTrue(
          text.contains(setting.option() + (setting.isFlag() ? "[=true|false]" : "=")),
          setting.option() + " in " + help.out());
      String shown = setting.defaultValue().isEmpty() ? "none" : setting.defaultValue();
      assertTrue(
          text.contains("(default: " + shown + "; " + setting.environmentVariable() + ")"),
          setting.key() + " in " + help.out());
    }
    assertEquals("", help.err(), "no warnings from the help's formatting");
  }

  @Test
  void versionNamesTheToolAndWhatItIsBuiltOn() throws Exception {
    JarProcess.Run version = java(Map.of(), "-jar", JarProcess.JAR.toString(), "--version");
    assertEquals(0, version.exitCode(), version.err());
    List<String> lines = version.out().lines().toList();
    assertTrue(lines.get(0).matches("cloudinary-backup \\d+\\.\\d+\\.\\d+.*"), version.out());
    assertTrue(lines.contains("Apache Camel 4.18.0"), version.out());
    assertTrue(lines.contains("Cloudinary Java SDK 2.4.0"), version.out());
    assertTrue(lines.contains("MapDB 3.1.0"), version.out());
  }

  @Test
  void theEmulatorIsACommandWithItsOwnHelp() throws Exception {
    JarProcess.Run help = java(Map.of(), "-jar", JarProcess.JAR.toString(), "emulator", "--help");
    assertEquals(0, help.exitCode(), help.err());
    assertTrue(help.out().contains("--assets"), help.out());
    JarProcess.Run bad =
        java(Map.of(), "-jar", JarProcess.JAR.toString(), "emulator", "--no-such-option");
    assertEquals(2, bad.exitCode(), bad.err());
  }
}
