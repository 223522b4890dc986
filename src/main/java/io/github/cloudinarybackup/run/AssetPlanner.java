package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.run.AssetPlan.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Decides what happens to each listed asset ({@link AssetPlan.Outcome}): compares it with its
 * catalog record and the file on disk, and gives it its place in the backup folder (a path claimed
 * in the catalog, kept from run to run). It writes no file and no record: the branch the plan names
 * does.
 */
public final class AssetPlanner {

  private final BackupSession session;

  public AssetPlanner(BackupSession session) {
    this.session = session;
  }

  /**
   * The asset's plan, as the exchange properties {@link BackupConstants#PLAN}, {@link
   * BackupConstants#OUTCOME} and (for the branches that write it) {@link BackupConstants#RECORD}.
   */
  public void plan(Map<String, Object> fields, Exchange exchange) throws IOException {
    AssetPlan plan = plan(new CloudinaryResource(fields));
    exchange.setProperty(BackupConstants.PLAN, plan);
    exchange.setProperty(BackupConstants.OUTCOME, plan.outcome().name());
    if (plan.record() != null) {
      exchange.setProperty(BackupConstants.RECORD, plan.record());
    }
  }

  AssetPlan plan(CloudinaryResource resource) throws IOException {
    if (session.stopping() != null) {
      // the run is stopping: the asset is left for the next run, and its page's cursor is not saved
      return new AssetPlan(Outcome.LEFT, resource, null, null, false, null);
    }
    if (session.config().dryRun()) {
      Catalog catalog = session.catalog();
      AssetRecord before = catalog == null ? null : catalog.get(resource.key()).orElse(null);
      return new AssetPlan(
          Outcome.REPORT_ONLY, resource, null, before, false, compare(resource, before));
    }
    Catalog catalog = session.catalog();
    String now = Instant.now().toString();
    Optional<AssetRecord> existing = catalog.get(resource.key());
    AssetRecord previous = existing.orElse(null);
    AssetRecord record =
        existing
            .map(e -> e.relisted(resource, session.runId(), now))
            .orElseGet(() -> AssetRecord.listed(resource, session.runId(), now));
    if (!resource.hasOriginal()) {
      record =
          record.withStatus(
              AssetStatus.NO_ORIGINAL,
              "delivery type '" + resource.type() + "' stores no original");
      boolean same =
          previous != null
              && previous.status() == AssetStatus.NO_ORIGINAL
              && record.resource().equals(previous.resource());
      return new AssetPlan(Outcome.NO_ORIGINAL, resource, record, previous, same, null);
    }
    List<String> segments = session.requestedSegments(resource);
    String requested = String.join("/", segments);
    // the layout asks for the same place as before: the asset keeps its claimed path
    String path =
        record.path() != null && requested.equals(record.requestedPath())
            ? record.path()
            : session
                .allocator()
                .allocate(resource.key(), segments, record.path(), record.requestedPath());
    record = record.withPath(path, requested);
    if (previous != null && unchanged(previous, resource, path)) {
      boolean same =
          record.resource().equals(previous.resource())
              && requested.equals(previous.requestedPath());
      return new AssetPlan(Outcome.UNCHANGED, resource, record, previous, same, null);
    }
    if (previous != null && movable(previous, resource, path)) {
      return new AssetPlan(Outcome.MOVE, resource, record, previous, false, null);
    }
    return new AssetPlan(
        Outcome.DOWNLOAD,
        resource,
        record.withStatus(AssetStatus.PENDING, null),
        previous,
        false,
        null);
  }

  /** Dry run: how the asset compares with the catalog (counted by its branch, written nowhere). */
  private DryRunReport.Change compare(CloudinaryResource resource, AssetRecord before) {
    boolean catalogued = before != null && before.status() != AssetStatus.DELETED;
    if (!resource.hasOriginal()) {
      return DryRunReport.Change.NO_ORIGINAL;
    }
    if (!catalogued) {
      return DryRunReport.Change.NEW;
    }
    if (before.path() != null
        && !String.join("/", session.requestedSegments(resource)).equals(before.requestedPath())
        && before.version() == resource.version()
        && before.status() == AssetStatus.OK
        && session.folder().holds(before.path(), before.writtenBytes())) {
      return DryRunReport.Change.MOVED; // a new layout or folder mode: a real run moves the file
    }
    if (before.path() != null && unchanged(before, resource, before.path())) {
      return DryRunReport.Change.UNCHANGED;
    }
    return DryRunReport.Change.CHANGED;
  }

  /**
   * Backed up before, same version, now given another place, and the file at the old place is still
   * the one backed up: same size and MD5 as the catalog has them.
   */
  private boolean movable(AssetRecord before, CloudinaryResource now, String path)
      throws IOException {
    return before.status() == AssetStatus.OK
        && before.version() == now.version()
        && before.path() != null
        && !path.equals(before.path())
        && before.md5() != null
        && session.folder().holds(before.path(), before.writtenBytes())
        && before.md5().equalsIgnoreCase(session.folder().md5(before.path()));
  }

  /** Backed up before, same version, same place, and the file there is still ours and whole. */
  private boolean unchanged(AssetRecord before, CloudinaryResource now, String path) {
    return before.status() == AssetStatus.OK
        && before.version() == now.version()
        && path.equals(before.path())
        && session.folder().holds(path, before.writtenBytes());
  }
}
