package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.config.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The exit code and the one line of a run that cannot go on, for each kind of failure behind it.
 */
class RunAbortTest {

  @Test
  void aConfigurationProblemExitsWith2AndSaysWhy() {
    RunAbort abort =
        RunAbort.of(new ConfigurationException("backup.page-size must be 1-500, not 900"), true);
    assertEquals(ExitCode.CONFIGURATION, abort.exitCode());
    assertEquals("cloudinary-backup: backup.page-size must be 1-500, not 900", abort.line());
    assertFalse(abort.catalogDamaged());
  }

  @Test
  void anAccountThatCouldNotBeCheckedExitsWith2() {
    RunAbort abort = RunAbort.of(new ConnectException("Connection refused"), false);
    assertEquals(ExitCode.CONFIGURATION, abort.exitCode());
    assertEquals("cloudinary-backup: Connection refused", abort.line());
  }

  @Test
  void anyOtherFailureOfAStartedRunExitsWith3AndSaysToRunAgain() {
    RunAbort abort =
        RunAbort.of(
            new CamelExecutionException("wrapped", null, new ConnectException("refused")), true);
    assertEquals(ExitCode.ABORTED, abort.exitCode());
    assertTrue(abort.line().startsWith("cloudinary-backup: the backup stopped: "), abort.line());
    assertTrue(abort.line().endsWith("run the same command again to resume)"), abort.line());
    assertFalse(abort.catalogDamaged());
  }

  @Test
  void aDamagedCatalogExitsWith3AndIsClosedWithoutAnotherWrite() {
    CatalogUnusableException damage =
        new CatalogUnusableException(
            Path.of("catalog.db"), "the header's checksum is wrong", true, null);
    RunAbort abort = RunAbort.of(new IllegalStateException("while writing", damage), true);
    assertEquals(ExitCode.ABORTED, abort.exitCode());
    assertTrue(abort.catalogDamaged());
    assertTrue(abort.line().contains("the header's checksum is wrong"), abort.line());
    assertTrue(abort.line().contains("keeps the damaged catalog aside"), abort.line());
  }

  @Test
  void aCatalogThatIsNotDamagedButUnusableIsNotTreatedAsDamage() {
    CatalogUnusableException locked =
        new CatalogUnusableException(Path.of("catalog.db"), "another run holds it", false, null);
    RunAbort abort = RunAbort.of(new IllegalStateException("opening", locked), true);
    assertFalse(abort.catalogDamaged());
    assertEquals(ExitCode.ABORTED, abort.exitCode());
  }

  @Test
  void runningOutOfMemoryExitsWith3AndNamesTheHeap() {
    RunAbort abort =
        RunAbort.of(new RuntimeException("task", new OutOfMemoryError("Java heap space")), true);
    assertEquals(ExitCode.ABORTED, abort.exitCode());
    assertTrue(abort.line().contains("out of memory (Java heap space)"), abort.line());
    assertTrue(abort.line().contains("-Xmx"), abort.line());
  }

  @Test
  void aFullDiskStopsTheRunWith3() {
    IOException full = new FileSystemException("a.jpg", null, "No space left on device");
    RunAbort abort = RunAbort.of(new UncheckedIOException(full), true);
    assertEquals(ExitCode.ABORTED, abort.exitCode());
    assertTrue(abort.line().contains("the disk is full"), abort.line());
    assertTrue(abort.line().contains("make room"), abort.line());
  }

  @Test
  void aStopWithItsOwnCodeKeepsIt() {
    RunAbort abort =
        RunAbort.of(new RunStoppedException("the listing went round in a circle", 2), true);
    assertEquals(2, abort.exitCode());
    assertEquals("cloudinary-backup: the listing went round in a circle", abort.line());
  }

  @Test
  void aSignalExitsWithItsCodeAndPrintsNothingMore() {
    RunAbort abort = RunAbort.of(RunStoppedException.bySignal("SIGTERM", 143), true);
    assertEquals(143, abort.exitCode());
    assertNull(abort.line(), "the signal's handler reports it, once");
  }

  @Test
  void aConfigurationProblemComesFirstEvenWhenItCarriesAnotherCause() {
    RunAbort abort =
        RunAbort.of(
            new ConfigurationException(
                "cannot write to the backup folder /b: No space left on device",
                new FileSystemException("/b", null, "No space left on device")),
            true);
    assertEquals(ExitCode.CONFIGURATION, abort.exitCode());
  }
}
