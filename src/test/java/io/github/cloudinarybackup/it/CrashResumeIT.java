package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.downloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar killed with SIGKILL and run again; a restart during a rate-limit pause; secrets in logs.
 */
class CrashResumeIT {

  @TempDir Path cwd;

  private static long pageCalls(CloudinaryEmulator emulator) {
    return emulator.requests().stream()
        .filter(r -> r.kind() == Kind.ADMIN && r.path().contains("/resources/"))
        .count();
  }

  @Test
  void aRunKilledMidwayIsCompletedByRunningItAgain() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(41, 3000, FolderMode.FIXED, 500, 4000);
    long originals = account.assets().stream().filter(a -> a.md5() != null).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().deliveryLatency(Duration.ofMillis(2));
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      String[] args = {
        "-Dbackup.dir=backup",
        "-Dbackup.page-size=100",
        "-Dbackup.concurrency=8",
        "-jar",
        JarProcess.JAR.toString()
      };

      JarProcess first = JarProcess.start(cwd, env, args);
      first.awaitWhileAlive(() -> downloads(emulator) >= originals * 2 / 5);
      first.kill();
      long before = downloads(emulator);
      long pagesBefore = pageCalls(emulator);
      assertTrue(before > 0 && before < originals, "killed midway: " + before + " of " + originals);

      emulator.clearRequests();
      JarProcess.Run second = JarProcess.run(cwd, env, args);
      assertEquals(0, second.exitCode(), second.err() + second.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
      long after = downloads(emulator);
      long repeated = before + after - originals;
      long totalPages = pagesBefore + pageCalls(emulator);
      System.out.printf(
          "kill -9: %d of %d originals downloaded before the kill, %d by the rerun, %d downloaded twice;"
              + " listing pages: %d before, %d after%n",
          before, originals, after, repeated, pagesBefore, pageCalls(emulator));
      // the downloads completed since the last commit are in the completion journal: only those in
      // flight are redone
      assertTrue(repeated <= 8, "at most the 8 downloads in flight are redone: " + repeated);
      assertTrue(
          pageCalls(emulator) < totalPages - 5,
          "the rerun resumed the listing instead of starting over");
      assertTrue(
          second.err().contains("Resuming the unfinished run") || second.out().contains("Resuming"),
          second.err());
    }
  }

  @Test
  void aRestartDuringARateLimitPauseWaitsUntilTheInstant() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(42, 200, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      long window = 6000;
      emulator.rateLimiter().limit(3).window(Duration.ofMillis(window));
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      String[] args = {
        "-Dbackup.dir=backup",
        "-Dbackup.page-size=10",
        "-Dbackup.rate-limit.reserve=0",
        "-Dbackup.rate-limit.margin-ms=100",
        "-jar",
        JarProcess.JAR.toString()
      };
      JarProcess first = JarProcess.start(cwd, env, args);
      // the pause is persisted in the catalog, then logged: kill only once it is in the log
      first.awaitWhileAlive(() -> first.outputSoFar().contains("pausing until"));
      first.kill();
      List<RecordedRequest> calls = emulator.requests();
      Instant last = calls.get(calls.size() - 1).at();
      long windowEnd = (last.toEpochMilli() / window + 1) * window;

      emulator.rateLimiter().limit(1000); // plenty from now on, but the pause still holds
      emulator.clearRequests();
      JarProcess.Run second = JarProcess.run(cwd, env, args);
      assertEquals(0, second.exitCode(), second.err());
      RecordedRequest firstCall =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN)
              .findFirst()
              .orElseThrow();
      assertTrue(
          firstCall.at().toEpochMilli() >= windowEnd,
          "the restarted run waited for "
              + Instant.ofEpochMilli(windowEnd)
              + " but called at "
              + firstCall.at());
      assertTrue(emulator.requests().stream().noneMatch(r -> r.status() == 420));
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
    }
  }

  @Test
  void secretsNeverReachTheLogEvenAtTrace() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(43, 40, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator
          .faults()
          .failNext(Kind.DOWNLOAD, 3, io.github.cloudinarybackup.emulator.FaultKind.STATUS_401);
      String[] trace = {
        "-Dcloudinary-backup.log-level=TRACE",
        "-Dcloudinary-backup.library-log-level=TRACE",
        "-Dbackup.dir=backup",
        "-Dbackup.retry.initial-delay-ms=10",
        "-jar",
        JarProcess.JAR.toString()
      };
      JarProcess.Run ok =
          JarProcess.run(cwd, Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()), trace);
      JarProcess.Run wrong =
          JarProcess.run(
              cwd,
              Map.of(
                  "CLOUDINARY_URL",
                  emulator.cloudinaryUrl().replace(account.apiSecret(), "WrongSecretValue42")),
              trace);
      assertEquals(2, wrong.exitCode());
      String log = ok.out() + ok.err() + wrong.out() + wrong.err();
      assertTrue(log.length() > 100_000, "TRACE logging was on: " + log.length());
      assertTrue(log.contains("signature=***"), "signed URLs were logged, masked");
      String basic =
          Base64.getEncoder()
              .encodeToString((account.apiKey() + ":" + account.apiSecret()).getBytes());
      String wrongBasic =
          Base64.getEncoder().encodeToString((account.apiKey() + ":WrongSecretValue42").getBytes());
      assertFalse(log.contains(account.apiSecret()), "api_secret in the log");
      assertFalse(log.contains("WrongSecretValue42"), "a wrong api_secret in the log");
      assertFalse(
          log.contains(basic) || log.contains(wrongBasic), "Authorization header in the log");
      assertFalse(
          Pattern.compile("signature=[0-9a-f]{8,}").matcher(log).find(),
          "an unmasked signature in the log");
      assertFalse(
          Pattern.compile("s--[A-Za-z0-9_-]{8}--").matcher(log).find(),
          "a delivery signature in the log");
    }
  }
}
