package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.ManifestStamp;
import io.github.cloudinarybackup.catalog.ManifestWriter;
import io.github.cloudinarybackup.catalog.RecordSpill;
import io.github.cloudinarybackup.config.BackupConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass over the catalog at the end of a finished run: the manifest, the deletion marks (and,
 * with backup.prune, the trash), the counts by status and the assets that failed.
 */
final class ManifestPass {

  private static final Logger LOG = LoggerFactory.getLogger(ManifestPass.class);

  /** How many of this run's failures the summary names. */
  private static final int FAILURES_SHOWN = 20;

  /** Where backup.prune moves the files of deleted assets, relative to the backup folder. */
  private static final String TRASH = BackupConfiguration.STATE_FOLDER + "/trash/";

  /**
   * What the pass found.
   *
   * @param counts the catalog's records by status
   * @param failures the first {@value #FAILURES_SHOWN} assets that failed in this run
   * @param failedThisRun how many failed in this run
   */
  record Result(Map<AssetStatus, Long> counts, List<AssetRecord> failures, long failedThisRun) {}

  private final BackupSession session;
  private final ManifestWriter manifest;

  ManifestPass(BackupSession session, ManifestWriter manifest) {
    this.session = session;
    this.manifest = manifest;
  }

  /** Writes the manifest unless the one on disk is this run's too, and marks what went away. */
  Result run() throws IOException {
    Catalog catalog = session.catalog();
    Map<AssetStatus, Long> counts = new EnumMap<>(AssetStatus.class);
    List<AssetRecord> failures = new ArrayList<>();
    String scope = scope();
    Optional<ManifestStamp> unchanged =
        catalog.previousManifest().filter(stamp -> nothingChangedSince(stamp, scope));
    LOG.debug(
        "manifest: {} records written and {} assets seen unchanged in this run; the last manifest: {}",
        catalog.recordsWrittenThisRun(),
        catalog.assetsSeenThisRun(),
        catalog.previousManifest().orElse(null));
    if (unchanged.isPresent()) {
      // no record changed and every live one was seen: the manifest on disk is this run's too
      counts.putAll(unchanged.get().counts());
      catalog.saveManifest(unchanged.get());
      return new Result(counts, failures, 0);
    }
    long failedThisRun = write(scope, counts, failures);
    return new Result(counts, failures, failedThisRun);
  }

  /**
   * Reads every record: writes the manifest, marks what this run did not see as deleted, counts by
   * status and remembers what it found in the catalog.
   *
   * @return how many assets failed in this run
   */
  private long write(String scope, Map<AssetStatus, Long> counts, List<AssetRecord> failures)
      throws IOException {
    Catalog catalog = session.catalog();
    long[] live = {0};
    long[] failedThisRun = {0};
    // the deletion marks wait on disk, not in memory, until the pass over the catalog is over
    try (RecordSpill deleted = RecordSpill.create(session.config().stateDir())) {
      manifest.write(
          catalog,
          session.config().stateDir(),
          record -> deletedUpstream(record) ? deleted.add(deleted(record)) : record,
          record -> {
            counts.merge(record.status(), 1L, Long::sum);
            if (record.status() != AssetStatus.DELETED
                && session.config().resourceTypes().contains(record.resourceType())) {
              live[0]++;
            }
            if (record.status() == AssetStatus.FAILED && session.runId().equals(record.runId())) {
              failedThisRun[0]++;
              if (failures.size() < FAILURES_SHOWN) {
                failures.add(record);
              }
            }
          });
      deleted.forEach(catalog::put);
      session.statistics().deleted.addAndGet(deleted.count());
    }
    catalog.saveManifest(new ManifestStamp(scope, live[0], counts));
    return failedThisRun[0];
  }

  /** The settings the manifest's content depends on besides the records. */
  private String scope() {
    return "resource-types="
        + String.join(",", session.config().resourceTypes())
        + ";csv="
        + session.config().manifestCsv();
  }

  /**
   * This run wrote no record and found every live asset of the last manifest unchanged (a record
   * this run did not see would be marked deleted), with the same settings: the manifest stays.
   */
  private boolean nothingChangedSince(ManifestStamp stamp, String scope) {
    Catalog catalog = session.catalog();
    Path stateDir = session.config().stateDir();
    return stamp.scope().equals(scope)
        && catalog.recordsWrittenThisRun() == 0
        && catalog.assetsSeenThisRun() == stamp.live()
        && Files.isRegularFile(stateDir.resolve(ManifestWriter.FILE_NAME))
        && (!session.config().manifestCsv()
            || Files.isRegularFile(stateDir.resolve(ManifestWriter.CSV_FILE_NAME)));
  }

  /**
   * This finished run listed every resource type in scope and did not see the asset: it is gone
   * from the account. Its file stays where it is.
   */
  private boolean deletedUpstream(AssetRecord record) {
    return record.status() != AssetStatus.DELETED
        && !session.config().filtered()
        && session.config().resourceTypes().contains(record.resourceType())
        && !session.runId().equals(record.runId());
  }

  /** Marks the record deleted; with backup.prune its file moves to the trash inside the backup. */
  private AssetRecord deleted(AssetRecord record) {
    AssetRecord marked =
        record.withStatus(AssetStatus.DELETED, "no longer in the account; the file is kept");
    if (session.config().prune() && record.path() != null && !record.path().startsWith(TRASH)) {
      String trash = TRASH + record.path();
      try {
        if (session.folder().isRegularFile(record.path())) {
          session.folder().move(record.path(), trash);
          session.allocator().release(record.key(), record.path());
          marked =
              marked
                  .withPath(trash, record.requestedPath())
                  .withStatus(AssetStatus.DELETED, "no longer in the account; moved to the trash");
        }
      } catch (IOException e) {
        LOG.warn("cannot move {} to the trash: {}", record.path(), e.getMessage());
      }
    }
    return marked;
  }
}
