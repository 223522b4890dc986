package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FaultKind;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rate limits, faults and bad input: the backup finishes unattended and every file is byte-exact.
 */
class ResilienceIT {

  private static final String[] FAST_RETRIES = {
    "backup.retry.initial-delay-ms",
    "10",
    "backup.retry.max-delay-ms",
    "100",
    "backup.retry.attempts",
    "6"
  };

  @TempDir Path tmp;

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void aRateLimitStormIsWaitedOutWithoutCallingBeforeTheAnnouncedInstant() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(31, 300, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      long window = 3000;
      emulator.rateLimiter().limit(5).window(Duration.ofMillis(window));
      // pacing off: the backup spends every window's budget and meets Cloudinary's 420
      Result run =
          backup(
              emulator,
              tmp.resolve("storm"),
              with(
                  FAST_RETRIES,
                  "backup.page-size",
                  "20",
                  "backup.rate-limit.reserve",
                  "-1",
                  "backup.rate-limit.margin-ms",
                  "200"));
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, tmp.resolve("storm"));

      List<RecordedRequest> calls = backupAdminCalls(emulator);
      int refused = 0;
      Map<Long, Integer> refusedPerWindow = new TreeMap<>();
      for (int i = 0; i < calls.size(); i++) {
        RecordedRequest call = calls.get(i);
        if (call.status() == 420) {
          refused++;
          long windowEnd = (call.at().toEpochMilli() / window + 1) * window;
          refusedPerWindow.merge(windowEnd, 1, Integer::sum);
          if (i + 1 < calls.size()) {
            assertTrue(
                calls.get(i + 1).at().toEpochMilli() >= windowEnd,
                "call after a 420 at "
                    + call.at()
                    + " came at "
                    + calls.get(i + 1).at()
                    + ", before "
                    + windowEnd);
          }
        }
      }
      assertTrue(refused > 0, "the storm produced 420s");
      assertTrue(
          refusedPerWindow.values().stream().allMatch(n -> n == 1),
          "at most one 420 per window: " + refusedPerWindow);
      // how much of each window's budget the storm used, and how long it took:
      // BACKUP_RATE_LIMIT_RESERVE=-1 bench/ratelimit.sh
      System.out.printf(
          "storm: %d Admin calls, %d refused with 420 in %d windows%n",
          calls.size(), refused, refusedPerWindow.size());
    }
  }

  @Test
  void http429AndTheMessageWithoutATimestampAreHandledToo() throws Exception {
    for (boolean noTimestamp : new boolean[] {false, true}) {
      EmulatorAccount account = EmulatorAccount.generate(32, 120, FolderMode.DYNAMIC);
      try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
        // a window long enough that HttpClient's own retry of a 429 (after about 1 s) is refused
        // too
        emulator
            .rateLimiter()
            .limit(4)
            .window(Duration.ofSeconds(5))
            .status(noTimestamp ? 420 : 429)
            .messageWithoutTimestamp(noTimestamp);
        spendTheWindowsBudget(emulator);
        Path dir = tmp.resolve("variant-" + noTimestamp);
        Result run =
            backup(
                emulator,
                dir,
                with(
                    FAST_RETRIES,
                    "backup.page-size",
                    "25",
                    "backup.rate-limit.reserve",
                    "-1",
                    "backup.rate-limit.margin-ms",
                    "100",
                    "backup.rate-limit.backoff-ms",
                    "500"));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        BackupIT.assertCompleteBackup(account, dir);
        assertTrue(
            backupAdminCalls(emulator).stream()
                .anyMatch(c -> c.status() == (noTimestamp ? 420 : 429)));
      }
    }
  }

  @Test
  void pacingKeepsTheBackupWithinTheBudgetWithoutA420() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(38, 200, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.rateLimiter().limit(5).window(Duration.ofSeconds(2));
      Path dir = tmp.resolve("paced");
      Result run =
          backup(
              emulator,
              dir,
              "backup.page-size",
              "25",
              "backup.rate-limit.reserve",
              "1",
              "backup.rate-limit.margin-ms",
              "100");
      assertEquals(0, run.exitCode(), run.err());
      BackupIT.assertCompleteBackup(account, dir);
      assertTrue(
          backupAdminCalls(emulator).stream().allMatch(c -> c.status() == 200), "no call refused");
    }
  }

  /**
   * The default reserve is a share of the limit: a budget of 5 a window is used in full, and never
   * overrun.
   */
  @Test
  void theDefaultReserveUsesASmallBudgetInFullWithoutA420() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(39, 300, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      long window = 2000;
      emulator.rateLimiter().limit(5).window(Duration.ofMillis(window));
      Path dir = tmp.resolve("default-reserve");
      Result run =
          backup(emulator, dir, "backup.page-size", "20", "backup.rate-limit.margin-ms", "100");
      assertEquals(0, run.exitCode(), run.err());
      BackupIT.assertCompleteBackup(account, dir);
      List<RecordedRequest> calls = backupAdminCalls(emulator);
      assertTrue(calls.stream().allMatch(c -> c.status() == 200), "no call refused");
      // it pauses only once a window's budget is spent, never after each call (as a reserve of 10
      // calls against a limit of 5 made it): a pause for every 5 calls at most, fewer if a window
      // ran out by itself on a slow machine. The calls in each window are what bench/ratelimit.sh
      // reports
      java.util.regex.Matcher pauses =
          java.util.regex.Pattern.compile("in (\\d+) pauses").matcher(run.out());
      assertTrue(pauses.find(), run.out());
      int paused = Integer.parseInt(pauses.group(1));
      assertTrue(
          paused <= (calls.size() + 4) / 5, paused + " pauses for " + calls.size() + " calls");
    }
  }

  @Test
  void deliveryFaultsOfEveryKindAreRetriedAndNoPartialFileIsLeft() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(33, 400, FolderMode.FIXED, 2_000, 60_000);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator
          .faults()
          .seed(7)
          .deliveryFaultRate(
              0.15,
              FaultKind.STATUS_503,
              FaultKind.STATUS_500,
              FaultKind.TRUNCATED_BODY,
              FaultKind.CONNECTION_RESET);
      Path dir = tmp.resolve("faults");
      Result run = backup(emulator, dir, FAST_RETRIES);
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, dir);
      Map<Integer, Long> statuses =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.DELIVERY || r.kind() == Kind.DOWNLOAD)
              .collect(
                  Collectors.groupingBy(
                      RecordedRequest::status, TreeMap::new, Collectors.counting()));
      System.out.println("delivery faults: responses by status " + statuses);
      assertTrue(statuses.keySet().size() >= 4, "several fault kinds were injected: " + statuses);
    }
  }

  @Test
  void adminFaultsAreRetriedWithoutLosingTheCursor() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(34, 600, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator
          .faults()
          .seed(3)
          .adminFaultRate(
              0.3,
              FaultKind.STATUS_500,
              FaultKind.STATUS_502,
              FaultKind.STATUS_503,
              FaultKind.HTML_ERROR_PAGE,
              FaultKind.MALFORMED_JSON,
              FaultKind.CONNECTION_RESET,
              FaultKind.TRUNCATED_BODY);
      Path dir = tmp.resolve("admin-faults");
      Result run = backup(emulator, dir, with(FAST_RETRIES, "backup.page-size", "50"));
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, dir);
      long failedCalls =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN && r.status() != 200)
              .count();
      assertTrue(failedCalls > 3, "faults were injected: " + failedCalls);
    }
  }

  /**
   * Retries are counted per Admin call, not per run: every other call fails once, far more failures
   * over the run than backup.retry.attempts, and the run completes (the counter Camel keeps on the
   * exchange went on from one call to the next, and the run stopped after the limit's worth of
   * faults in all).
   */
  @Test
  void eachAdminCallHasItsOwnRetries() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(36, 200, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().failEvery(Kind.ADMIN, 2, FaultKind.STATUS_500);
      Path dir = tmp.resolve("every-other");
      Result run =
          backup(
              emulator,
              dir,
              with(FAST_RETRIES, "backup.page-size", "10", "backup.retry.attempts", "2"));
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, dir);
      long failed =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN && r.status() == 500)
              .count();
      assertTrue(failed > 10, "many more faults than the 2 retries a call gets: " + failed);
    }
  }

  /**
   * A call refused with 420 is made again at the instant Cloudinary names; when that call meets a
   * 5xx, it is retried like any other call (the run went on before, it ended with exit 3). Faults
   * come before the budget in the emulator, so with every other Admin request failing, every
   * refusal falls on a request that goes through and the call made again always meets a 500.
   */
  @Test
  void aFaultOnTheCallMadeAgainAfterARateLimitIsRetried() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(37, 60, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.rateLimiter().limit(3).window(Duration.ofSeconds(2));
      emulator.faults().failEvery(Kind.ADMIN, 2, FaultKind.STATUS_500);
      Path dir = tmp.resolve("fault-after-refusal");
      Result run =
          backup(
              emulator,
              dir,
              with(
                  FAST_RETRIES,
                  "backup.page-size",
                  "10",
                  "backup.rate-limit.reserve",
                  "-1",
                  "backup.rate-limit.margin-ms",
                  "100"));
      assertEquals(0, run.exitCode(), run.err() + run.out());
      BackupIT.assertCompleteBackup(account, dir);
      List<RecordedRequest> calls = backupAdminCalls(emulator);
      long faultAfterRefusal = 0;
      for (int i = 1; i < calls.size(); i++) {
        if (calls.get(i - 1).status() == 420 && calls.get(i).status() == 500) {
          faultAfterRefusal++;
        }
      }
      assertTrue(faultAfterRefusal > 0, "a 500 came right after a 420: " + calls);
    }
  }

  @Test
  void permanentFailuresAreRecordedReportedAndRetriedByTheNextRun() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(35, 80, FolderMode.FIXED);
    // exactly one asset comes through the signed /download endpoint, so both injected 401s meet it
    boolean kept = false;
    for (var asset : List.copyOf(account.assets())) {
      if (asset.type().equals("private") || asset.type().equals("authenticated")) {
        if (kept) {
          account.replace(asset.toBuilder().type("upload").build());
        }
        kept = true;
      }
    }
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      emulator.faults().failNext(Kind.DELIVERY, 2, FaultKind.STATUS_404);
      emulator.faults().failNext(Kind.DOWNLOAD, 2, FaultKind.STATUS_401);
      Path dir = tmp.resolve("permanent");
      Result run = backup(emulator, dir, FAST_RETRIES);
      assertEquals(1, run.exitCode(), run.err() + run.out());
      Map<String, Map<String, Object>> manifest = manifest(dir);
      List<Object> reasons =
          manifest.values().stream()
              .filter(e -> "failed".equals(e.get("status")))
              .map(e -> e.get("reason"))
              .sorted()
              .collect(Collectors.toList());
      assertEquals(
          3,
          reasons.size(),
          "two 404s, and one private asset refused twice (re-signed once): " + reasons);
      assertEquals(
          2,
          reasons.stream().filter(r -> r.toString().startsWith("HTTP 404")).count(),
          reasons.toString());
      assertEquals(
          1,
          reasons.stream().filter(r -> r.toString().startsWith("HTTP 401")).count(),
          reasons.toString());
      assertTrue(run.out().contains("failed        3"), run.out());
      assertTrue(run.out().contains("HTTP 404"), run.out());
      for (Map<String, Object> e : manifest.values()) {
        if ("failed".equals(e.get("status"))) {
          assertFalse(
              Files.exists(dir.resolve((String) e.get("path"))), "no file for a failed asset");
        }
      }
      Result again = backup(emulator, dir, FAST_RETRIES);
      assertEquals(0, again.exitCode(), again.err() + again.out());
      BackupIT.assertCompleteBackup(account, dir);
    }
  }

  @Test
  void badInputGivesOneLineAndExitCodeTwo() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(36, 20, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      String url = emulator.cloudinaryUrl();
      Path dir = tmp.resolve("bad");

      Result cloud =
          backup(
              Map.of(
                  "cloudinary.url",
                  url.replace("@" + account.cloudName(), "@no-such-cloud"),
                  "backup.dir",
                  dir.toString()));
      assertEquals(2, cloud.exitCode());
      assertEquals(
          "cloudinary-backup: authentication failed for cloud 'no-such-cloud': Invalid cloud_name no-such-cloud",
          cloud.err().strip());

      Result unreachable =
          backup(
              Map.of(
                  "cloudinary.url",
                  url.replace(emulator.baseUri().toString(), "http://127.0.0.1:9"),
                  "backup.dir",
                  dir.toString(),
                  "backup.retry.attempts",
                  "2",
                  "backup.retry.initial-delay-ms",
                  "10"));
      assertEquals(2, unreachable.exitCode());
      assertTrue(
          unreachable
              .err()
              .startsWith("cloudinary-backup: the Cloudinary API at http://127.0.0.1:9 failed"),
          unreachable.err());
      assertEquals(1, unreachable.err().strip().lines().count(), unreachable.err());

      emulator.faults().adminFaultRate(1.0, FaultKind.HTML_ERROR_PAGE);
      Result html =
          backup(
              emulator, dir, "backup.retry.attempts", "1", "backup.retry.initial-delay-ms", "10");
      assertEquals(2, html.exitCode());
      assertTrue(html.err().contains("unexpected answer from the Cloudinary API"), html.err());
      assertEquals(1, html.err().strip().lines().count(), html.err());
      emulator.faults().clear();
      assertFalse(Files.exists(dir), "nothing written by any of these");

      Path aFile = Files.writeString(tmp.resolve("a-file"), "x");
      Result folder = backup(emulator, aFile.resolve("backup"));
      assertEquals(2, folder.exitCode());
      assertTrue(
          folder.err().startsWith("cloudinary-backup: cannot write to the backup folder"),
          folder.err());
    }
  }

  @Test
  void aDamagedCatalogIsKeptAsideAndRebuiltWithoutDownloadingAgain() throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(37, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("damaged");
      assertEquals(0, backup(emulator, dir).exitCode());
      Path catalog = dir.resolve(".cloudinary-backup/catalog.db");
      byte[] garbage = new byte[(int) Files.size(catalog)];
      new java.util.Random(1).nextBytes(garbage);
      Files.write(catalog, garbage);

      // backup.catalog-recovery=stop: one line, nothing changed
      Result stopped = backup(emulator, dir, "backup.catalog-recovery", "stop");
      assertEquals(2, stopped.exitCode());
      assertTrue(
          stopped.err().contains("it is damaged") && stopped.err().contains("rebuild"),
          stopped.err());
      assertEquals(1, stopped.err().strip().lines().count());
      assertTrue(
          java.util.Arrays.equals(garbage, Files.readAllBytes(catalog)),
          "the damaged file is untouched");

      // by default: kept aside, rebuilt from the manifest and the files, nothing downloaded again
      emulator.clearRequests();
      Result recovered = backup(emulator, dir);
      assertEquals(0, recovered.exitCode(), recovered.err());
      BackupIT.assertCompleteBackup(account, dir);
      assertEquals(0, BackupHarness.downloads(emulator), "every file on disk was kept");
      try (var files = Files.list(dir.resolve(".cloudinary-backup"))) {
        List<Path> aside =
            files
                .map(Path::getFileName)
                .map(Path::toString)
                .filter(f -> f.startsWith("catalog.db.damaged-") && !f.endsWith(".redo"))
                .map(f -> dir.resolve(".cloudinary-backup").resolve(f))
                .toList();
        assertEquals(1, aside.size(), "kept aside");
        assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(aside.get(0))), "as it was");
      }
    }
  }

  /**
   * A record or a path claim that cannot be read during a run (a disk fault, a file changed by
   * hand): the run stops with a line that names the catalog and the way out, and the next run keeps
   * the damaged catalog aside and rebuilds it, downloading nothing that is on disk.
   */
  @ParameterizedTest
  @ValueSource(strings = {"assets", "paths"})
  void aCatalogFoundDamagedDuringARunIsRebuiltByTheNextRun(String map) throws IOException {
    EmulatorAccount account = EmulatorAccount.generate(38, 30, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("damaged-in-use-" + map);
      assertEquals(0, backup(emulator, dir).exitCode());
      Path catalog = dir.resolve(".cloudinary-backup/catalog.db");
      var victim = account.assets().stream().filter(a -> a.hasOriginal()).findFirst().orElseThrow();
      Map<String, Object> line = BackupHarness.manifest(dir).get(victim.assetId());
      if (map.equals("assets")) {
        org.mapdb.DB raw =
            org.mapdb.DBMaker.fileDB(catalog.toFile())
                .transactionEnable()
                .fileChannelEnable()
                .make();
        raw.hashMap(map, org.mapdb.Serializer.STRING, org.mapdb.Serializer.BYTE_ARRAY_NOSIZE)
            .open()
            .put(victim.assetId(), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        raw.commit();
        raw.close();
      } else {
        // the claim on the victim's file: "f:" and its path, case-folded as PathAllocator folds it
        String folded =
            line.get("path")
                .toString()
                .toUpperCase(java.util.Locale.ROOT)
                .toLowerCase(java.util.Locale.ROOT);
        CatalogDamage.breakTheValueAfter(catalog, "f:" + folded);
      }
      if (map.equals("assets")) {
        // a new version: the run reads the asset's record again
        account.replace(victim.toBuilder().version(victim.version() + 1).build());
      } else {
        // a new asset that asks for the same path: the run reads the claim on it
        account.add(victim.toBuilder().assetId("f".repeat(32)).type("authenticated").build());
      }

      Result stopped = backup(emulator, dir);
      assertEquals(3, stopped.exitCode(), stopped.out() + stopped.err());
      String err = stopped.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(
          err.contains(catalog.toAbsolutePath().toString())
              && err.contains("is damaged")
              && err.contains("rebuild"),
          err);

      emulator.clearRequests();
      Result recovered = backup(emulator, dir);
      assertEquals(0, recovered.exitCode(), recovered.err());
      BackupIT.assertCompleteBackup(account, dir);
      assertEquals(
          1, BackupHarness.downloads(emulator), "only the changed or new asset is downloaded");
      assertFalse(
          Files.exists(catalog.resolveSibling("catalog.db.damaged")),
          "the verdict went with the catalog");
    }
  }

  /** Another client uses up the current window, so the backup's first call meets the limit. */
  private static void spendTheWindowsBudget(CloudinaryEmulator emulator) {
    com.cloudinary.Cloudinary other = new com.cloudinary.Cloudinary(emulator.cloudinaryUrl());
    for (int i = 0; i < 20; i++) {
      try {
        other.api().ping(Map.of());
      } catch (Exception refused) {
        return;
      }
    }
    throw new AssertionError("the emulator never refused a call");
  }

  /** Admin calls the backup made (the other client only pings). */
  private static List<RecordedRequest> backupAdminCalls(CloudinaryEmulator emulator) {
    return emulator.requests().stream()
        .filter(r -> r.kind() == Kind.ADMIN && !r.path().endsWith("/ping"))
        .sorted(java.util.Comparator.comparing(RecordedRequest::at))
        .toList();
  }
}
