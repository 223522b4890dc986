package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FaultKind;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servers that misbehave for good: one asset that can never be downloaded costs one failed record
 * after a bounded number of attempts, whatever the server does (refuse, hang, trickle, lie about
 * the length, never stop sending); a listing that goes round in a circle stops the run; so does a
 * page too large for the heap, with a line that says which setting to raise.
 *
 * <p>The timeouts below only turn a hang into a failure; nothing here asserts how long anything
 * took.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileServerIT {

  private static final int RETRIES = 2;

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(
      value = FaultKind.class,
      names = {
        "STATUS_503",
        "TRUNCATED_BODY",
        "CONNECTION_RESET",
        "HANG",
        "TRICKLE",
        "SHORT_THEN_HANG",
        "ENDLESS_BODY",
        "LONGER_BODY"
      })
  void oneAssetThatCanNeverBeDownloadedCostsOneFailedRecord(FaultKind fault) throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(61, 40, FolderMode.FIXED, 1000, 3000);
    EmulatedAsset victim =
        account.assets().stream().filter(a -> a.type().equals("upload")).findFirst().orElseThrow();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().alwaysFail(victim.publicId(), fault);
      Path dir = tmp.resolve(fault.name());
      Result run =
          backup(
              emulator,
              dir,
              "backup.retry.attempts",
              Integer.toString(RETRIES),
              "backup.retry.initial-delay-ms",
              "10",
              "backup.retry.max-delay-ms",
              "20",
              // a read may wait 2 s; a 3 KB original may take 2 s plus 0.03 s at 100 KB/s: a 1
              // byte/s trickle cannot pass
              "backup.http.response-timeout",
              "2000",
              "backup.http.min-bytes-per-second",
              "100000");
      assertEquals(1, run.exitCode(), run.err() + run.out());

      Map<String, Object> line = manifest(dir).get(victim.assetId());
      assertEquals("failed", line.get("status"), line.toString());
      System.out.println(fault + ": " + line.get("reason"));
      long attempts = emulator.requests().stream().filter(r -> r.fault() == fault).count();
      assertEquals(RETRIES + 1, attempts, "the first try and " + RETRIES + " retries, no more");
      assertFalse(
          Files.exists(dir.resolve(line.get("path").toString())), "no file for the failed asset");
      assertEquals(List.of(), BackupHarness.temporaries(dir));
      long ok = manifest(dir).values().stream().filter(l -> "ok".equals(l.get("status"))).count();
      long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
      assertEquals(originals - 1, ok, "every other original is backed up");
    }
  }

  @Test
  void aNameTheFilesystemRejectsFailsThatAssetAtOnce() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(62, 20, FolderMode.FIXED);
    // 20 folders of 230 bytes: more than PATH_MAX (4,096 bytes) on Linux
    String deep = String.join("/", java.util.Collections.nCopies(20, "d".repeat(230))) + "/deep";
    EmulatedAsset tooLong =
        EmulatedAsset.builder()
            .publicId(deep)
            .resourceType("image")
            .type("upload")
            .format("jpg")
            .generatedContent(5, 800)
            .build();
    account.add(tooLong);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("long");
      Result run = backup(emulator, dir, "backup.retry.initial-delay-ms", "10");
      assertEquals(1, run.exitCode(), run.err() + run.out());
      Map<String, Object> line = manifest(dir).get(tooLong.assetId());
      assertEquals("failed", line.get("status"));
      assertTrue(line.get("reason").toString().contains("File name too long"), line.toString());
      long tries = emulator.requests().stream().filter(r -> r.path().contains("/deep")).count();
      assertEquals(1, tries, "not retried: the filesystem will not change its mind");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Circle.class)
  void aListingThatGoesRoundInACircleStopsTheRunWithExitThree(Circle circle) throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(63, 120, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      circle.apply(emulator);
      Path dir = tmp.resolve(circle.name());
      Result run =
          backup(emulator, dir, "backup.page-size", "10", "backup.resource-types", "image");
      assertEquals(3, run.exitCode(), run.err() + run.out());
      String err = run.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.contains("already returned") && err.contains("image listing"), err);
      long listingCalls =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN && r.path().contains("/resources/"))
              .count();
      assertTrue(
          listingCalls <= 6, "stopped at the first repetition: " + listingCalls + " listing calls");

      emulator.faults().clear();
      Result again =
          backup(emulator, dir, "backup.page-size", "10", "backup.resource-types", "image");
      assertEquals(0, again.exitCode(), again.err());
    }
  }

  /** How a listing goes round. */
  enum Circle {
    SAME_CURSOR {
      @Override
      void apply(CloudinaryEmulator emulator) {
        emulator.faults().repeatListCursor(true);
      }
    },
    BACK_TO_THE_FIRST_PAGE {
      @Override
      void apply(CloudinaryEmulator emulator) {
        emulator.faults().cycleListCursor(3);
      }
    };

    abstract void apply(CloudinaryEmulator emulator);
  }

  @Test
  void aPageTooLargeForTheHeapSaysWhichSettingToRaise() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(64, 100_000, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().oversizedListPages(Integer.MAX_VALUE); // a server that ignores max_results
      JarProcess.Run run =
          JarProcess.run(
              tmp,
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-Xmx64m",
              "-Dbackup.dir=backup",
              "-jar",
              JarProcess.JAR.toString());
      assertEquals(3, run.exitCode(), run.err() + run.out());
      List<String> lines = run.err().strip().lines().toList();
      assertEquals(1, lines.size(), run.err());
      assertTrue(
          lines.get(0).contains("out of memory") && lines.get(0).contains("-Xmx"), lines.get(0));
    }
  }
}
