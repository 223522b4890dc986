package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerCompressionWrapper;

/** The real MapDB file on disk. */
class CatalogTest {

  @TempDir Path tmp;

  @Test
  void runIdsOrderAsStringsAndNeverRepeatEvenWhenRunsStartInTheSameMillisecondOrTheClockGoesBack()
      throws Exception {
    Instant now = Instant.parse("2026-11-24T02:41:12Z");
    try (Catalog catalog = Catalog.open(tmp.resolve("catalog.db"))) {
      String first = catalog.startRun(now);
      assertEquals("2026-11-24T02:41:12.000Z", first, "fixed width, milliseconds");
      catalog.finishRun();
      String second = catalog.startRun(now);
      assertEquals("2026-11-24T02:41:12.001Z", second);
      catalog.finishRun();
      String third = catalog.startRun(now.minusSeconds(3600));
      assertTrue(third.compareTo(second) > 0, third);
      String later = catalog.startRun(now.plusMillis(100));
      assertEquals("2026-11-24T02:41:12.100Z", later);
    }
    // the last id outlives the process
    try (Catalog reopened = Catalog.open(tmp.resolve("catalog.db"))) {
      assertTrue(reopened.startRun(now).compareTo("2026-11-24T02:41:12.100Z") > 0);
    }
  }

  @Test
  void parkedRecordsAreReadBackAtOnceAndReachTheFileWhenCommittedOrClosed() throws Exception {
    Path file = tmp.resolve("batch.db");
    int count = 2500; // more than one batch
    try (Catalog catalog = Catalog.open(file)) {
      for (int i = 0; i < count; i++) {
        catalog.put(record(i, "run-1"));
        assertEquals(
            "asset" + i,
            catalog.get("key" + i).orElseThrow().publicId(),
            "read back before any flush");
      }
      catalog.markSeen("key7", "run-2");
      assertEquals(
          "run-2", catalog.get("key7").orElseThrow().runId(), "the seen mark is the later run");
      assertEquals("run-1", catalog.get("key8").orElseThrow().runId());
      assertEquals(count, catalog.size());
    }
    try (Catalog reopened = Catalog.open(file)) {
      List<String> ids = new ArrayList<>();
      reopened.forEach(r -> ids.add(r.publicId()));
      assertEquals(count, ids.size(), "close wrote every parked record");
      assertEquals("run-2", reopened.get("key7").orElseThrow().runId());
      List<String> runsOfKey7 = new ArrayList<>();
      reopened.forEach(
          r -> {
            if (r.key().equals("key7")) {
              runsOfKey7.add(r.runId() + " " + r.lastSeen());
            }
          });
      assertEquals(List.of("run-2 run-2"), runsOfKey7, "forEach folds the seen mark in too");
      reopened.put(record(count, "run-3"));
      reopened.closeWithoutCommit();
    }
    try (Catalog again = Catalog.open(file)) {
      assertTrue(again.get("key" + count).isEmpty(), "a closed-without-commit record is gone");
      assertEquals(count, again.size());
    }
  }

  /**
   * MapDB stages a transaction in memory: however many records a run puts between commits, it is
   * bounded.
   */
  @Test
  void aThousandRecordsPutWithoutACommitAreCommittedThere() throws Exception {
    Path file = tmp.resolve("bounded.db");
    try (Catalog catalog = Catalog.open(file)) {
      for (int i = 0; i < 2500; i++) {
        catalog.put(record(i, "run-1"));
      }
      catalog.closeWithoutCommit();
    }
    try (Catalog reopened = Catalog.open(file)) {
      assertEquals(
          2000,
          reopened.size(),
          "two batches of 1,000 were committed as they filled; the rest was not");
    }
  }

  @Test
  void theManifestStampOutlivesAFinishedRunButNotOneThatStoppedHalfway() throws Exception {
    Path file = tmp.resolve("stamp.db");
    ManifestStamp stamp =
        new ManifestStamp(
            "resource-types=image;csv=false",
            2,
            Map.of(AssetStatus.OK, 2L, AssetStatus.NO_ORIGINAL, 1L));
    try (Catalog catalog = Catalog.open(file)) {
      catalog.startRun(Instant.parse("2026-11-24T01:00:00Z"));
      catalog.put(record(1, "run-1"));
      catalog.put(record(2, "run-1"));
      catalog.finishRun();
      catalog.saveManifest(stamp);
    }
    try (Catalog catalog = Catalog.open(file)) {
      String run = catalog.startRun(Instant.parse("2026-11-24T02:00:00Z"));
      assertEquals(stamp, catalog.previousManifest().orElseThrow(), "read back, statuses and all");
      assertEquals(0, catalog.recordsWrittenThisRun());
      catalog.markSeen("key1", run);
      catalog.markSeen("key1", run);
      catalog.markSeen("key2", run);
      assertEquals(2, catalog.assetsSeenThisRun(), "each asset counts once");
      catalog.put(record(3, run));
      assertEquals(1, catalog.recordsWrittenThisRun());
      // the process stops here, before the run's end saved a stamp
    }
    try (Catalog catalog = Catalog.open(file)) {
      catalog.startRun(Instant.parse("2026-11-24T03:00:00Z"));
      assertTrue(
          catalog.previousManifest().isEmpty(), "a run that stopped halfway leaves no stamp");
      assertEquals(0, catalog.assetsSeenThisRun());
    }
  }

  /**
   * The records were compressed inside MapDB (its LZF wrapper) before they were compressed by the
   * download threads: the stored bytes are the same, so catalogs of either build read in the other.
   */
  @Test
  void catalogsWrittenByMapDbsOwnCompressionReadBackAndViceVersa() throws Exception {
    Path file = tmp.resolve("compat.db");
    String json =
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(record(1, "run-1"));
    DB older = DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
    older
        .hashMap("assets", Serializer.STRING, new SerializerCompressionWrapper<>(Serializer.STRING))
        .createOrOpen()
        .put("key1", json);
    older.commit();
    older.close();
    try (Catalog catalog = Catalog.open(file)) {
      assertEquals("asset1", catalog.get("key1").orElseThrow().publicId());
      catalog.put(record(2, "run-2"));
    }
    DB reader =
        DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().readOnly().make();
    try {
      HTreeMap<String, String> assets =
          reader
              .hashMap(
                  "assets",
                  Serializer.STRING,
                  new SerializerCompressionWrapper<>(Serializer.STRING))
              .open();
      assertEquals(json, assets.get("key1"));
      assertTrue(assets.get("key2").contains("\"public_id\":\"asset2\""), assets.get("key2"));
    } finally {
      reader.close();
    }
  }

  /**
   * Threads still using the catalog while another closes it (a run that is stopping) get a
   * CatalogClosedException, never a failure from inside MapDB that would be taken for damage.
   */
  @Test
  void aCatalogClosedUnderThreadsStillUsingItIsNeverTakenForDamage() throws Exception {
    Path file = tmp.resolve("closing.db");
    Catalog catalog = Catalog.open(file);
    for (int i = 0; i < 200; i++) {
      catalog.put(record(i, "run-1"));
    }
    catalog.commit();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(4);
    List<Thread> users = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      Thread user =
          new Thread(
              () -> {
                running.countDown();
                for (int i = offset; ; i = (i + 4) % 200) {
                  try {
                    catalog.get("key" + i);
                    catalog.markSeen("key" + i, "run-2");
                    catalog.pathClaims().putIfAbsent("f:p" + i, "key" + i);
                    catalog.put(record(i, "run-2"));
                    catalog.commitSoon();
                  } catch (CatalogClosedException closed) {
                    return;
                  } catch (Throwable e) {
                    failures.add(e);
                    return;
                  }
                }
              });
      user.start();
      users.add(user);
    }
    running.await();
    Thread.sleep(50);
    catalog.close();
    for (Thread user : users) {
      user.join();
    }
    assertEquals(List.of(), failures);
    assertTrue(catalog.isClosed());
    assertTrue(!java.nio.file.Files.exists(Catalog.damageMarker(file)), "no damage verdict");
    try (Catalog reopened = Catalog.open(file)) {
      assertEquals(200, reopened.size());
    }
  }

  @Test
  void aRebuildCutShortIsDoneAgainByTheNextRun() throws Exception {
    Path file = tmp.resolve("rebuild.db");
    try (Catalog catalog = Catalog.open(file)) {
      assertTrue(catalog.needsRebuild(), "new");
      catalog.rebuildBegins();
      catalog.put(record(1, "rebuilt"));
      // stopped here: closing commits what was rebuilt so far
    }
    try (Catalog catalog = Catalog.open(file)) {
      assertTrue(catalog.needsRebuild(), "only part of it was rebuilt");
      catalog.rebuildDone();
      catalog.startRun(Instant.now());
      assertTrue(!catalog.needsRebuild());
    }
  }

  @Test
  void aNewOrEmptiedCatalogIsNewOneThatARunUsedIsNot() throws Exception {
    try (Catalog catalog = Catalog.open(tmp.resolve("new.db"))) {
      assertTrue(catalog.isNew());
      catalog.startRun(Instant.now());
      assertTrue(!catalog.isNew(), "a run used it, even without a record");
    }
  }

  /**
   * A process killed between two commits: the downloads it completed meanwhile come back from the
   * journal.
   */
  @Test
  void completionsSinceTheLastCommitSurviveAProcessThatNeverClosedTheCatalog() throws Exception {
    Path file = tmp.resolve("journal.db");
    Catalog killed = Catalog.open(file);
    killed.put(record(1, "run-1"));
    killed.commit();
    killed.putCompleted(record(2, "run-1"));
    killed.putCompleted(record(3, "run-1"));
    // closed without a commit: on disk, what a kill leaves (the last commit, and the journal)
    killed.closeWithoutCommit();
    // and the last line was being written
    Path journal;
    try (var files = java.nio.file.Files.list(tmp)) {
      journal =
          files
              .filter(f -> f.getFileName().toString().startsWith("journal.db.done."))
              .findFirst()
              .orElseThrow();
    }
    java.nio.file.Files.writeString(
        journal, "{\"key\":\"cut", java.nio.file.StandardOpenOption.APPEND);

    try (Catalog next = Catalog.open(file)) {
      assertTrue(next.get("key2").isEmpty(), "not committed");
      List<AssetRecord> back = next.leftOverCompletions();
      assertEquals(
          List.of("key2", "key3"),
          back.stream().map(AssetRecord::key).toList(),
          "whole lines only");
      back.forEach(next::put);
      next.commit();
      next.leftOverCompletionsPutBack();
      next.putCompleted(record(4, "run-2"));
      next.commit();
    }
    try (Catalog reopened = Catalog.open(file);
        var files = java.nio.file.Files.list(tmp)) {
      assertEquals(4, reopened.size());
      assertEquals(List.of(), reopened.leftOverCompletions(), "closed properly: no journal left");
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".done.")));
    }
  }

  /** A damaged file refused once is refused the same way again: the failed open let go of it. */
  @Test
  void aDamagedCatalogIsReportedAsDamagedEveryTimeItIsOpened() throws Exception {
    Path file = tmp.resolve("garbage.db");
    try (Catalog catalog = Catalog.open(file)) {
      catalog.put(record(1, "run-1"));
    }
    byte[] garbage = new byte[(int) java.nio.file.Files.size(file)];
    new java.util.Random(3).nextBytes(garbage);
    java.nio.file.Files.write(file, garbage);
    for (int attempt = 0; attempt < 2; attempt++) {
      CatalogUnusableException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CatalogUnusableException.class, () -> Catalog.open(file));
      assertTrue(e.damaged(), e.getMessage());
    }
  }

  private static AssetRecord record(int i, String run) {
    CloudinaryResource resource =
        new CloudinaryResource(
            Map.of(
                "asset_id",
                "key" + i,
                "public_id",
                "asset" + i,
                "resource_type",
                "image",
                "type",
                "upload",
                "version",
                1,
                "format",
                "png",
                "bytes",
                10));
    return AssetRecord.listed(resource, run, "2026-11-24T00:00:00Z");
  }
}
