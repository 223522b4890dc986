package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FaultKind;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup.schedule turns the one-shot run into a daemon that backs up on a quartz cron. */
class ScheduleIT {

  @TempDir Path tmp;

  @Test
  void backsUpOnScheduleIncrementallyAndSurvivesAFailedRun() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(61, 50, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // the first run's account check fails (no retries): the schedule must go on regardless
      emulator.faults().failNext(Kind.ADMIN, 1, FaultKind.STATUS_500);
      Path dir = tmp.resolve("scheduled");
      EmulatedAsset late =
          EmulatedAsset.builder()
              .assetId("f".repeat(32))
              .publicId("late/arrival")
              .resourceType("image")
              .type("upload")
              .format("png")
              .version(77)
              .createdAt(Instant.now())
              .content("added between scheduled runs".getBytes(StandardCharsets.UTF_8))
              .build();
      Thread mutator =
          new Thread(
              () -> {
                try {
                  while (!Files.exists(dir.resolve(".cloudinary-backup/manifest.jsonl"))) {
                    Thread.sleep(50);
                  }
                  account.add(late);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      mutator.start();
      Result run =
          backup(
              emulator,
              dir,
              "backup.schedule",
              "0/2 * * * * ?",
              "camel.main.duration-max-seconds",
              "11",
              "backup.retry.attempts",
              "0");
      mutator.join(1000);

      long runs = run.out().lines().filter(l -> l.startsWith("Backup of cloud")).count();
      assertTrue(runs >= 2, "several scheduled runs: " + run.out());
      assertTrue(
          run.err().contains("cloudinary-backup: the Cloudinary API at"),
          "the first run failed: " + run.err());
      assertEquals(0, run.exitCode(), "the last run succeeded: " + run.err());
      var manifest = manifest(dir);
      assertEquals(account.size(), manifest.size());
      assertEquals(
          "ok", manifest.get(late.assetId()).get("status"), "a later run picked up the new asset");
      BackupIT.assertCompleteBackup(account, dir);
      long downloads =
          emulator.requests().stream()
              .filter(
                  r ->
                      (r.kind() == Kind.DELIVERY || r.kind() == Kind.DOWNLOAD) && r.status() == 200)
              .count();
      assertEquals(
          account.assets().stream().filter(EmulatedAsset::hasOriginal).count(),
          downloads,
          "later runs download only what is new");
    }
  }

  /**
   * The packaged jar as a daemon: it says when the next backup is at start and after each run, and
   * each run's summary counts that run's Admin calls (they add up to what the server answered).
   */
  @Test
  void aDaemonAnnouncesItsNextRunAndCountsEachRunsOwnCalls() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(62, 40, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run run =
          JarProcess.run(
              tmp,
              java.util.Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "daemon",
              "--schedule",
              "0/2 * * * * ?",
              "--page-size",
              "10",
              "-Dcamel.main.duration-max-seconds=9");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      java.util.List<String> lines = run.out().lines().toList();
      java.util.List<Long> calls = new java.util.ArrayList<>();
      java.util.regex.Pattern summary =
          java.util.regex.Pattern.compile(" *listed .*\\((\\d+) Admin API calls\\).*");
      boolean announcedSinceTheLastRun =
          true; // the first run: at start, see aDaemonSaysAtStartWhenItsFirstBackupIs
      java.time.LocalTime announced = null;
      for (String line : lines) {
        if (line.startsWith("Next backup at ")) {
          announcedSinceTheLastRun = true;
          announced =
              java.time.OffsetDateTime.parse(line.split(" ")[3])
                  .atZoneSameInstant(java.time.ZoneId.systemDefault())
                  .toLocalTime();
        }
        if (line.contains("Backing up cloud") && announced != null) {
          // a run never starts before the time announced for it (the scheduler can fire one that is
          // just
          // past at start: the announcement must name that one, not the next)
          java.time.LocalTime started = java.time.LocalTime.parse(line.substring(0, 12));
          java.time.Duration early = java.time.Duration.between(started, announced.withNano(0));
          assertTrue(
              early.isNegative() || early.isZero() || early.toHours() > 12,
              "a run started at "
                  + started
                  + ", before the announced "
                  + announced
                  + ": "
                  + run.out());
        }
        java.util.regex.Matcher m = summary.matcher(line);
        if (m.matches()) {
          // each run was announced, after the one before (the last one's own announcement may be
          // cut by the end)
          assertTrue(
              announcedSinceTheLastRun, "a run not announced after the one before: " + run.out());
          announcedSinceTheLastRun = false;
          calls.add(Long.parseLong(m.group(1)));
        }
      }
      assertTrue(calls.size() >= 2, "several runs: " + run.out());
      // every run of the same account makes the same calls (a total over the runs would grow); the
      // server
      // answered at least those (a run the daemon's end cut short prints no summary)
      assertEquals(
          1,
          calls.stream().distinct().count(),
          "each summary counts its own run's calls: " + calls);
      long answered = emulator.requests().stream().filter(r -> r.kind() == Kind.ADMIN).count();
      assertTrue(
          calls.stream().mapToLong(Long::longValue).sum() <= answered,
          calls + " against " + answered);
    }
  }

  /**
   * At start the daemon says when its first backup is, and a SIGTERM between runs ends it with 0.
   */
  @Test
  void aDaemonSaysAtStartWhenItsFirstBackupIs() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(63, 10, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess daemon =
          JarProcess.start(
              tmp,
              java.util.Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "daemon",
              "--schedule",
              "0 0 3 1 1 ? 2099");
      daemon.awaitWhileAlive(() -> daemon.outputSoFar().contains("Next backup at "));
      daemon.signal("TERM");
      JarProcess.Run run = daemon.await();
      assertEquals(0, run.exitCode(), run.err() + run.out());
      java.time.ZonedDateTime first =
          java.time.ZonedDateTime.of(2099, 1, 1, 3, 0, 0, 0, java.time.ZoneId.systemDefault());
      assertTrue(
          run.out()
              .contains(
                  "Next backup at "
                      + first.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                      + " (backup.schedule=0 0 3 1 1 ? 2099)"),
          run.out());
      assertEquals(0, emulator.requests().size(), "no backup before its time");
    }
  }
}
