package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.run.AssetPlan.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every outcome {@link AssetPlanner} can give an asset, against a real catalog and real files: what
 * routes/backup.yaml then branches on.
 */
class AssetPlannerTest {

  @TempDir Path tmp;
  private Catalog catalog;

  @AfterEach
  void close() {
    if (catalog != null && !catalog.isClosed()) {
      catalog.close();
    }
  }

  private BackupSession session(Map<String, String> more) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of("backup.dir", tmp.resolve("b").toString()));
    settings.putAll(more);
    BackupSession session =
        new BackupSession(
            BackupConfiguration.load(key -> Optional.ofNullable(settings.get(key)), Map.of()),
            null,
            new RunOutcome());
    session.folderMode(FolderMode.FIXED);
    if (catalog == null) {
      catalog = Catalog.open(tmp.resolve("catalog.db"));
    }
    session.attach(catalog);
    session.start(catalog.startRun(Instant.now()));
    return session;
  }

  private static CloudinaryResource resource(
      String publicId, String type, long version, Object... more) {
    Map<String, Object> fields =
        new HashMap<>(
            Map.of(
                "asset_id",
                "id-" + publicId,
                "public_id",
                publicId,
                "resource_type",
                "image",
                "type",
                type,
                "format",
                "jpg",
                "version",
                Math.toIntExact(version), // as JSON gives it back
                "bytes",
                5));
    for (int i = 0; i < more.length; i += 2) {
      fields.put((String) more[i], more[i + 1]);
    }
    return new CloudinaryResource(fields);
  }

  /** What a finished download leaves: the file, and its record in the catalog. */
  private AssetRecord backedUp(BackupSession session, AssetPlan plan, String content)
      throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path file = session.folder().resolve(plan.record().path());
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    AssetRecord done = plan.record().backedUp(bytes.length, md5, Instant.now().toString());
    catalog.put(done);
    return done;
  }

  @Test
  void aNewAssetIsDownloadedToAPlaceOfItsOwn() throws Exception {
    AssetPlan plan = new AssetPlanner(session(Map.of())).plan(resource("a/b", "upload", 1));
    assertEquals(Outcome.DOWNLOAD, plan.outcome());
    assertEquals(AssetStatus.PENDING, plan.record().status());
    assertEquals("a/b.jpg", plan.record().path());
    assertNull(plan.previous());
  }

  @Test
  void theSameVersionWithItsFileWholeIsUnchangedAndOnlyNewMetadataIsRewritten() throws Exception {
    BackupSession session = session(Map.of());
    AssetPlanner planner = new AssetPlanner(session);
    backedUp(session, planner.plan(resource("a/b", "upload", 1)), "12345");

    AssetPlan same = planner.plan(resource("a/b", "upload", 1));
    assertEquals(Outcome.UNCHANGED, same.outcome());
    assertTrue(same.sameRecord(), "nothing changed: a seen mark is enough");

    AssetPlan retagged = planner.plan(resource("a/b", "upload", 1, "tags", List.of("new")));
    assertEquals(Outcome.UNCHANGED, retagged.outcome());
    assertFalse(retagged.sameRecord(), "new metadata: the record is rewritten");
  }

  @Test
  void aNewVersionOrAFileNoLongerWholeIsDownloadedAgain() throws Exception {
    BackupSession session = session(Map.of());
    AssetPlanner planner = new AssetPlanner(session);
    AssetRecord done = backedUp(session, planner.plan(resource("a/b", "upload", 1)), "12345");

    assertEquals(Outcome.DOWNLOAD, planner.plan(resource("a/b", "upload", 2)).outcome());
    Files.write(session.folder().resolve(done.path()), new byte[] {1});
    AssetPlan damaged = planner.plan(resource("a/b", "upload", 1));
    assertEquals(Outcome.DOWNLOAD, damaged.outcome());
    assertEquals(done.path(), damaged.record().path(), "it keeps its place");
  }

  @Test
  void anotherLayoutMovesAFileThatIsStillTheOneBackedUp() throws Exception {
    BackupSession first = session(Map.of());
    backedUp(first, new AssetPlanner(first).plan(resource("a/b", "upload", 1)), "12345");

    BackupSession flat = session(Map.of("backup.layout", "{type}/{public_id}.{ext}"));
    AssetPlan plan = new AssetPlanner(flat).plan(resource("a/b", "upload", 1));
    assertEquals(Outcome.MOVE, plan.outcome());
    assertEquals("a/b.jpg", plan.previous().path());
    assertEquals("upload/a/b.jpg", plan.record().path());
  }

  @Test
  void aRemoteReferenceIsCataloguedOnly() throws Exception {
    AssetPlan plan =
        new AssetPlanner(session(Map.of())).plan(resource("https://x/y.jpg", "fetch", 0));
    assertEquals(Outcome.NO_ORIGINAL, plan.outcome());
    assertEquals(AssetStatus.NO_ORIGINAL, plan.record().status());
  }

  @Test
  void aStoppingRunLeavesTheAssetAndADryRunOnlyReports() throws Exception {
    BackupSession session = session(Map.of());
    session.requestStop(RunStoppedException.bySignal("SIGINT", 130));
    AssetPlan left = new AssetPlanner(session).plan(resource("a/b", "upload", 1));
    assertEquals(Outcome.LEFT, left.outcome());
    assertNull(left.record());

    BackupSession dry = session(Map.of("backup.dry-run", "true"));
    AssetPlan report = new AssetPlanner(dry).plan(resource("c/d", "upload", 1));
    assertEquals(Outcome.REPORT_ONLY, report.outcome());
    assertEquals(DryRunReport.Change.NEW, report.dryRunChange());
    assertEquals(0, catalog.size(), "a plan writes nothing");
  }
}
