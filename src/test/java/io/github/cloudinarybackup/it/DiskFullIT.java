package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, on a small tmpfs mounted for the test (which needs root; without it the test is
 * skipped and says why): the run stops at once with one line, not one failed record per asset, and
 * once there is room the next run finishes the backup.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DiskFullIT {

  @TempDir Path tmp;

  @Test
  void aFullDiskStopsTheRunWithOneLineAndTheNextRunFinishes() throws Exception {
    Path disk = Files.createDirectories(tmp.resolve("small-disk"));
    String refused = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
    if (refused != null) {
      System.out.println("DiskFullIT skipped: cannot mount a tmpfs here (" + refused + ")");
    }
    assumeTrue(refused == null, "cannot mount a tmpfs here: " + refused);
    try {
      EmulatorAccount account = EmulatorAccount.generate(71, 80, FolderMode.FIXED, 20_000, 40_000);
      try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
        Path dir = disk.resolve("backup");
        Result full =
            backup(emulator, dir, "backup.retry.initial-delay-ms", "10", "backup.concurrency", "8");
        String log = full.err() + full.out();
        assertEquals(3, full.exitCode(), log);
        String err = full.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("full") && err.contains("run the same command again"), err);
        long tries =
            emulator.requests().stream()
                .filter(r -> r.kind() == Kind.DELIVERY || r.kind() == Kind.DOWNLOAD)
                .count();
        assertTrue(
            tries < 40, "stopped at the first full write, not after trying every asset: " + tries);
        assertEquals(List.of(), BackupHarness.temporaries(dir), "no partial file");
        assertFalse(
            Files.exists(dir.resolve(".cloudinary-backup/catalog.db.damaged")),
            "a full disk is not damage");
        assertEquals(
            List.of(),
            openFilesUnder(disk),
            "the run let go of every file (the catalog's lock too)");

        assertEquals(null, run("mount", "-o", "remount,size=16m", disk.toString()));
        Result again = backup(emulator, dir);
        assertEquals(0, again.exitCode(), again.err() + again.out());
        BackupIT.assertCompleteBackup(account, dir);
      }
    } finally {
      if (run("umount", disk.toString()) != null) {
        run(
            "umount",
            "-l",
            disk.toString()); // busy: detached now, gone once the last file is closed
      }
    }
  }

  /** The files this process still has open below {@code dir} (Linux: /proc/self/fd). */
  private static List<String> openFilesUnder(Path dir) throws Exception {
    List<String> open = new java.util.ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target.toString());
          }
        } catch (java.io.IOException gone) {
          // closed meanwhile
        }
      }
    }
    return open;
  }

  /** Runs a command; {@code null} if it worked, else what it said. */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.waitFor() == 0 ? null : String.join(" ", command) + ": " + said;
  }
}
