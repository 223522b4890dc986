package io.github.cloudinarybackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The one definition of the settings, and what follows it: application.properties and the README.
 */
class BackupSettingsTest {

  @Test
  void applicationPropertiesHasEverySettingWithItsDefaultAndNoOther() throws Exception {
    Properties file = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
      file.load(in);
    }
    Map<String, String> inFile = new TreeMap<>();
    file.stringPropertyNames().stream()
        .filter(BackupSettings::isOurs)
        .forEach(k -> inFile.put(k, file.getProperty(k)));
    Map<String, String> defined = new TreeMap<>();
    BackupSettings.ALL.forEach(s -> defined.put(s.key(), s.defaultValue()));
    assertEquals(defined, inFile);
  }

  @Test
  void theReadmeTableNamesEverySettingAndItsEnvironmentVariable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting setting : BackupSettings.ALL) {
      assertTrue(readme.contains("`" + setting.key() + "`"), setting.key());
      assertTrue(readme.contains("`" + setting.option() + "`"), setting.option());
    }
  }

  @Test
  void aMistypedKeyGetsTheNearestSetting() {
    assertEquals(Optional.of("backup.dry-run"), BackupSettings.nearest("backup.dryrun"));
    assertEquals(Optional.of("backup.concurrency"), BackupSettings.nearest("backup.concurency"));
    assertEquals(Optional.of("backup.page-size"), BackupSettings.nearest("backup.pagesize"));
    assertEquals(
        Optional.of("backup.rate-limit.reserve"),
        BackupSettings.nearest("backup.ratelimit.reserve"));
    assertEquals(Optional.empty(), BackupSettings.nearest("backup.something-else-entirely"));
    assertEquals(
        List.of(
            "unknown setting 'backup.dryrun' (test) — did you mean 'backup.dry-run'?",
            "unknown setting 'backup.xyzzy-plugh-frobnicate' (test)"),
        BackupSettings.unknown(
            List.of(
                "backup.dryrun",
                "backup.dir",
                "camel.main.name",
                "backup.xyzzy-plugh-frobnicate",
                "backup.one-shot"),
            "test"));
  }

  @Test
  void onlyEnvironmentVariablesThatLookMistypedAreReported() {
    assertEquals(
        List.of("unknown setting 'BACKUP_DRYRUN' (environment) — did you mean 'BACKUP_DRY_RUN'?"),
        BackupSettings.mistypedEnvironment(
            Set.of("BACKUP_DRYRUN", "BACKUP_CMD", "BACKUP_DRY_RUN", "HOME", "BACKUP_JAVA_OPTS")));
  }

  @Test
  void valuesAreCheckedAgainstTheirDefinition() {
    Map<String, String> given =
        Map.of(
            "backup.page-size",
            "0",
            "backup.dry-run",
            "yes",
            "backup.folder-mode",
            "Dynamic",
            "backup.schedule",
            "0 0 2 * * ?",
            "backup.concurrency",
            "auto",
            "backup.rate-limit.reserve",
            "lots",
            "backup.resource-types",
            "image,audio",
            "backup.layout",
            "{nope}");
    List<String> problems = BackupSettings.problems(key -> Optional.ofNullable(given.get(key)));
    assertEquals(
        List.of(
            "backup.resource-types must list some of image, video, raw (comma-separated), got 'image,audio'",
            "backup.layout is not a layout template: " + layoutError("{nope}") + ", got '{nope}'",
            "backup.page-size must be a whole number from 1 to 500, got '0'",
            "backup.dry-run must be true or false, got 'yes'",
            "backup.rate-limit.reserve must be a number of calls, a percentage such as 10%, or -1, got 'lots'"),
        problems);
    assertTrue(
        BackupSettings.find("backup.schedule")
            .orElseThrow()
            .problem("every night")
            .orElseThrow()
            .startsWith("backup.schedule is not a Quartz cron expression"));
  }

  private static String layoutError(String layout) {
    try {
      io.github.cloudinarybackup.layout.LayoutTemplate.parse(layout);
      return "";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  void optionsAndEnvironmentVariablesComeFromTheKey() {
    Setting reserve = BackupSettings.find("backup.rate-limit.reserve").orElseThrow();
    assertEquals("--rate-limit-reserve", reserve.option());
    assertEquals("BACKUP_RATE_LIMIT_RESERVE", reserve.environmentVariable());
  }

  @Test
  void theCommandLineBeatsTheEnvironmentWhichBeatsSystemProperties() {
    Properties system = new Properties();
    system.setProperty("backup.dir", "sys");
    system.setProperty("backup.layout", "sys-layout");
    system.setProperty("camel.main.name", "named");
    system.setProperty("java.home", "/jdk");
    Map<String, String> env =
        Map.of(
            "BACKUP_DIR", "env", "BACKUP_PAGE_SIZE", "7", "CLOUDINARY_URL", "cloudinary://k:s@c");
    Map<String, String> merged =
        UserSettings.environmentThenSystem(
            Set.of("camel.main.name"), Map.of("backup.page-size", "9"), env, system);
    assertEquals(
        Map.of(
            "backup.dir",
            "env",
            "backup.layout",
            "sys-layout",
            "camel.main.name",
            "named",
            "cloudinary.url",
            "cloudinary://k:s@c"),
        merged,
        "the command line's page size is left to the command line");
  }
}
