package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.downloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C (SIGINT) and SIGTERM on the packaged jar: the run stops in order, saves the catalog, exits
 * with 130 or 143, and the next run finishes the backup, downloading again at most what was under
 * way when the signal came.
 */
class InterruptIT {

  private static final int CONCURRENCY = 8;

  @TempDir Path cwd;

  private static String[] args(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-Dbackup.dir=backup",
                "-Dbackup.page-size=100",
                "-Dbackup.concurrency=" + CONCURRENCY,
                "-Dbackup.shutdown-timeout=5"));
    args.addAll(List.of(more));
    args.addAll(List.of("-jar", JarProcess.JAR.toString()));
    return args.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void aSignalInTheMiddleSavesTheCatalogAndTheNextRunFinishes(String signal) throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(51, 1500, FolderMode.FIXED, 500, 4000);
    long originals = account.assets().stream().filter(a -> a.md5() != null).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().deliveryLatency(Duration.ofMillis(20));
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      JarProcess run = JarProcess.start(cwd, env, args());
      run.awaitWhileAlive(() -> downloads(emulator) >= originals / 4);
      run.signal(signal);
      JarProcess.Run stopped = run.await();
      int expected = signal.equals("INT") ? 130 : 143;
      String log = stopped.out() + stopped.err();
      assertEquals(expected, stopped.exitCode(), log);
      assertTrue(
          stopped.err().contains("interrupted by SIG" + signal)
              && stopped.err().contains("Run the same command again"),
          log);
      assertEquals(
          2,
          stopped.err().strip().lines().count(),
          "what it does, then what it did: " + stopped.err());
      assertFalse(log.contains(" WARN "), "no warnings: " + log);
      assertFalse(log.contains("Exception"), "no stack trace: " + log);
      assertFalse(
          Files.exists(cwd.resolve("backup/.cloudinary-backup/catalog.db.damaged")),
          "not taken for damage");
      assertEquals(
          List.of(), BackupHarness.temporaries(cwd.resolve("backup")), "no temporary left");
      long before = downloads(emulator);
      assertTrue(before < originals, "stopped before the end: " + before + " of " + originals);

      emulator.clearRequests();
      JarProcess.Run again = JarProcess.run(cwd, env, args());
      assertEquals(0, again.exitCode(), again.err() + again.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
      long repeated = before + downloads(emulator) - originals;
      System.out.printf(
          "SIG%s after %d of %d originals: %d downloaded again by the next run%n",
          signal, before, originals, repeated);
      assertTrue(
          repeated <= CONCURRENCY, "at most what was under way is downloaded again: " + repeated);
    }
  }

  /**
   * SIGINT, SIGTERM and SIGKILL at random moments, from the JVM's first second to the end of the
   * run: every run ends with 0 (it finished first), 130, 143 or 137 (killed), never leaves damage
   * (nor, stopped in order, a temporary), and the backup is complete in the end, each signal having
   * cost at most the downloads under way.
   */
  @Test
  void signalsAndKillsAtAnyMomentNeverCostMoreThanTheDownloadsUnderWay() throws Exception {
    long seed = Long.getLong("it.seed", System.nanoTime());
    System.out.println("InterruptIT seed " + seed + " (rerun with -Dit.seed=" + seed + ")");
    Random random = new Random(seed);
    EmulatorAccount account = EmulatorAccount.generate(52, 600, FolderMode.DYNAMIC, 500, 4000);
    long originals = account.assets().stream().filter(a -> a.md5() != null).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().deliveryLatency(Duration.ofMillis(15));
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String signal = List.of("INT", "TERM", "KILL").get(random.nextInt(3));
        long delay = random.nextInt(4000);
        JarProcess run = JarProcess.start(cwd, env, args());
        Thread.sleep(delay);
        if (run.alive()) {
          run.signal(signal);
        }
        JarProcess.Run stopped = run.await();
        String log = stopped.out() + stopped.err();
        assertTrue(
            List.of(0, 130, 143, 137).contains(stopped.exitCode()),
            "exit " + stopped.exitCode() + ": " + log);
        assertFalse(log.contains("Exception"), "no stack trace: " + log);
        assertFalse(
            Files.exists(cwd.resolve("backup/.cloudinary-backup/catalog.db.damaged")),
            "not taken for damage");
        if (!signal.equals(
            "KILL")) { // a kill leaves its temporaries to the next run, which removes them
          assertEquals(
              List.of(),
              BackupHarness.temporaries(cwd.resolve("backup")),
              "no temporary left by SIG"
                  + signal
                  + "@"
                  + delay
                  + "ms after "
                  + outcomes
                  + ": "
                  + log);
        }
        outcomes.add("SIG" + signal + "@" + delay + "ms->" + stopped.exitCode());
      }
      JarProcess.Run last = JarProcess.run(cwd, env, args());
      assertEquals(0, last.exitCode(), last.err() + last.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
      long repeated = downloads(emulator) - originals;
      System.out.println("signals: " + outcomes + "; downloaded twice: " + repeated);
      assertTrue(
          repeated <= 8L * CONCURRENCY, "at most what was under way at each signal: " + repeated);
    }
  }

  @Test
  void aScheduledDaemonStopsARunInOrderAndEndsAtOnceBetweenRuns() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(53, 800, FolderMode.FIXED, 500, 4000);
    long originals = account.assets().stream().filter(a -> a.md5() != null).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().deliveryLatency(Duration.ofMillis(20));
      Map<String, String> env = Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl());

      // between runs: the first firing is years away
      JarProcess idle = JarProcess.start(cwd, env, args("-Dbackup.schedule=0 0 0 1 1 ? 2099"));
      idle.awaitWhileAlive(() -> idle.outputSoFar().contains("Next backup at 2099-01-01"));
      idle.signal("TERM");
      JarProcess.Run ended = idle.await();
      assertEquals(0, ended.exitCode(), ended.err() + ended.out());
      assertFalse(Files.exists(cwd.resolve("backup")), "no run, nothing written");

      // during a run: stopped in order, like a one-shot run
      JarProcess busy = JarProcess.start(cwd, env, args("-Dbackup.schedule=0/1 * * * * ?"));
      busy.awaitWhileAlive(() -> downloads(emulator) >= originals / 4);
      busy.signal("TERM");
      JarProcess.Run stopped = busy.await();
      assertEquals(143, stopped.exitCode(), stopped.err() + stopped.out());
      assertTrue(stopped.err().contains("interrupted by SIGTERM"), stopped.err());
      assertFalse(
          Files.exists(cwd.resolve("backup/.cloudinary-backup/catalog.db.damaged")),
          "not taken for damage");

      JarProcess.Run again = JarProcess.run(cwd, env, args());
      assertEquals(0, again.exitCode(), again.err() + again.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
      assertTrue(
          downloads(emulator) - originals <= CONCURRENCY, "at most what was under way, again");
    }
  }
}
