package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings as a user writes them, through the packaged jar: as options, as -D before or after -jar,
 * as key=value, in the environment; a mistyped key stops the run before anything is written,
 * wherever it was.
 */
class SettingsIT {

  @TempDir Path cwd;

  private final EmulatorAccount account = EmulatorAccount.generate(21, 30, FolderMode.FIXED);
  private CloudinaryEmulator emulator;

  @BeforeEach
  void start() throws IOException {
    emulator = CloudinaryEmulator.start(account);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /**
   * The jar with the emulator's account in CLOUDINARY_URL; {@code jvmArgs} before -jar, {@code
   * args} after.
   */
  private JarProcess.Run run(Map<String, String> env, List<String> jvmArgs, String... args)
      throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("CLOUDINARY_URL", emulator.cloudinaryUrl());
    List<String> command = new ArrayList<>(jvmArgs);
    command.add("-jar");
    command.add(JarProcess.JAR.toString());
    command.addAll(List.of(args));
    return JarProcess.run(cwd, all, command.toArray(String[]::new));
  }

  private List<String> cwdEntries() throws IOException {
    try (var list = Files.list(cwd)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertStoppedBeforeWriting(JarProcess.Run run, String message) throws IOException {
    assertEquals(2, run.exitCode(), run.err() + run.out());
    assertTrue(run.err().contains(message), run.err());
    assertEquals(List.of(), cwdEntries(), "nothing written");
    assertFalse(
        emulator.requests().stream().anyMatch(r -> r.kind() == Kind.DOWNLOAD),
        "nothing downloaded");
  }

  @Test
  void aMistypedKeyIsAnErrorWhereverItIsGiven() throws Exception {
    String hint = "unknown setting 'backup.dryrun'";
    String meant = "did you mean 'backup.dry-run'?";
    JarProcess.Run before = run(Map.of(), List.of("-Dbackup.dryrun=true"), "--dir", "b");
    assertStoppedBeforeWriting(before, hint + " (system property) — " + meant);
    JarProcess.Run after = run(Map.of(), List.of(), "--dir", "b", "-Dbackup.dryrun=true");
    assertStoppedBeforeWriting(after, hint + " (command line) — " + meant);
    JarProcess.Run assignment = run(Map.of(), List.of(), "backup.dryrun=true", "backup.dir=b");
    assertStoppedBeforeWriting(assignment, hint + " (command line) — " + meant);
    JarProcess.Run environment = run(Map.of("BACKUP_DRYRUN", "true", "BACKUP_DIR", "b"), List.of());
    assertStoppedBeforeWriting(
        environment,
        "unknown setting 'BACKUP_DRYRUN' (environment) — did you mean 'BACKUP_DRY_RUN'?");
    JarProcess.Run option = run(Map.of(), List.of(), "--dryrun", "--dir", "b");
    assertStoppedBeforeWriting(option, "Unknown option: '--dryrun' — did you mean --dry-run?");
  }

  /** Another program's BACKUP_* variable is not a typo of ours and does not stop the run. */
  @Test
  void anUnrelatedBackupVariableIsLeftAlone() throws Exception {
    JarProcess.Run run = run(Map.of("BACKUP_CMD", "something else", "BACKUP_DIR", "b"), List.of());
    assertEquals(0, run.exitCode(), run.err() + run.out());
  }

  @Test
  void aDryRunCanBeAskedForInEveryForm() throws Exception {
    List<List<String>> forms =
        List.of(
            List.of("--dry-run"),
            List.of("--dry-run=true"),
            List.of("-Dbackup.dry-run=true"),
            List.of("backup.dry-run=true"),
            List.of("backup", "--dry-run"));
    for (List<String> form : forms) {
      List<String> args = new ArrayList<>(form);
      args.addAll(List.of("--dir", "b"));
      JarProcess.Run run = run(Map.of(), List.of(), args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), form + ": " + run.err() + run.out());
      assertTrue(run.out().contains("a backup would download"), form + ": " + run.out());
      assertEquals(List.of(), cwdEntries(), form + ": a dry run writes nothing");
    }
  }

  @Test
  void badValuesAreRefusedWithTheReason() throws Exception {
    assertStoppedBeforeWriting(
        run(Map.of(), List.of(), "--concurrency", "0", "--dir", "b"),
        "backup.concurrency must be auto or a whole number from 1 to 256, got '0'");
    assertStoppedBeforeWriting(
        run(Map.of("BACKUP_PAGE_SIZE", "900", "BACKUP_DIR", "b"), List.of()),
        "backup.page-size must be a whole number from 1 to 500, got '900'");
    assertStoppedBeforeWriting(
        run(Map.of(), List.of(), "--schedule", "every night", "--dir", "b"),
        "backup.schedule is not a Quartz cron expression");
    assertStoppedBeforeWriting(
        run(Map.of(), List.of("-Dbackup.retry.attempts=lots", "-Dbackup.dir=b")),
        "backup.retry.attempts must be a whole number from 0 to 100, got 'lots'");
    assertStoppedBeforeWriting(
        run(Map.of(), List.of(), "--dry-run=maybe", "--dir", "b"),
        "backup.dry-run must be true or false, got 'maybe'");
    assertStoppedBeforeWriting(
        run(Map.of(), List.of(), "loose-word"),
        "expected an option or key=value, got 'loose-word'");
  }

  /**
   * The command line beats the environment, which beats -D before -jar, which beats
   * application.properties.
   */
  @Test
  void precedenceCommandLineThenEnvironmentThenSystemProperties() throws Exception {
    Map<String, String> env = Map.of("BACKUP_DIR", "from-env");
    List<String> jvm = List.of("-Dbackup.dir=from-sys");

    assertEquals(0, run(env, jvm, "--dir", "from-option").exitCode());
    assertEquals(List.of("from-option"), cwdEntries());
    assertEquals(0, run(env, jvm, "backup.dir=from-assignment").exitCode());
    assertEquals(List.of("from-assignment", "from-option"), cwdEntries());
    assertEquals(0, run(env, jvm, "-Dbackup.dir=from-late-d", "--page-size", "7").exitCode());
    assertEquals(List.of("from-assignment", "from-late-d", "from-option"), cwdEntries());
    assertEquals(0, run(env, jvm).exitCode());
    assertEquals(
        List.of("from-assignment", "from-env", "from-late-d", "from-option"), cwdEntries());
    assertEquals(0, run(Map.of(), jvm).exitCode());
    assertEquals(
        List.of("from-assignment", "from-env", "from-late-d", "from-option", "from-sys"),
        cwdEntries());
  }

  /**
   * With a command-line setting, the environment's other settings still apply (they are merged, not
   * dropped).
   */
  @Test
  void commandLineSettingsKeepTheEnvironmentsOthers() throws Exception {
    JarProcess.Run run =
        run(Map.of("BACKUP_RESOURCE_TYPES", "raw"), List.of("-Dbackup.page-size=3"), "--dir", "b");
    assertEquals(0, run.exitCode(), run.err() + run.out());
    for (var line : BackupHarness.manifest(cwd.resolve("b")).values()) {
      assertEquals(
          "raw", line.get("resource_type"), "BACKUP_RESOURCE_TYPES from the environment applies");
    }
    long raw = account.assets().stream().filter(a -> "raw".equals(a.resourceType())).count();
    assertTrue(
        run.out().matches("(?s).*listed +" + raw + " assets in " + (raw + 2) / 3 + " pages.*"),
        "-Dbackup.page-size=3 before -jar applies: " + run.out());
  }
}
