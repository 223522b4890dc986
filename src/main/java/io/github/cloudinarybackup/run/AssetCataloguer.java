package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogClosedException;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.download.Download;
import io.github.cloudinarybackup.download.OriginalFiles;
import io.github.cloudinarybackup.files.LocalWriteException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog in step with each asset: records it when listed (choosing its local path and
 * whether it needs downloading), marks it backed up once the file is in place, or failed with the
 * reason.
 */
public final class AssetCataloguer {

  private static final Logger LOG = LoggerFactory.getLogger(AssetCataloguer.class);

  private final BackupSession session;
  private final Sidecars sidecars;

  public AssetCataloguer(BackupSession session) {
    this.session = session;
    this.sidecars = new Sidecars(session);
  }

  /**
   * Records a listed asset and decides what to do with it. Sets {@link BackupConstants#RECORD},
   * {@link BackupConstants#ACTION} and, for a download, the file name relative to the backup
   * folder.
   */
  public void record(Map<String, Object> fields, Exchange exchange) throws IOException {
    if (session.stopping() != null) {
      // the run is stopping: this asset is left for the next run, and its page's cursor is not
      // saved
      leftForTheNextRun(exchange);
      return;
    }
    CloudinaryResource resource = new CloudinaryResource(fields);
    if (session.config().dryRun()) {
      compare(resource);
      exchange.setProperty(BackupConstants.ACTION, BackupConstants.ACTION_REPORT_ONLY);
      return;
    }
    Catalog catalog = session.catalog();
    String now = Instant.now().toString();
    Optional<AssetRecord> existing = catalog.get(resource.key());
    AssetRecord record =
        existing
            .map(e -> e.relisted(resource, session.runId(), now))
            .orElseGet(() -> AssetRecord.listed(resource, session.runId(), now));
    String action;
    boolean sameRecord = false;
    if (!resource.hasOriginal()) {
      record =
          record.withStatus(
              AssetStatus.NO_ORIGINAL,
              "delivery type '" + resource.type() + "' stores no original");
      action = BackupConstants.ACTION_CATALOG_ONLY;
      session.statistics().noOriginal.incrementAndGet();
      sameRecord =
          existing.isPresent()
              && existing.get().status() == AssetStatus.NO_ORIGINAL
              && record.resource().equals(existing.get().resource());
    } else {
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
      if (existing.isPresent() && unchanged(existing.get(), resource, path)) {
        action = BackupConstants.ACTION_SKIP;
        session.statistics().unchanged.incrementAndGet();
        sameRecord =
            record.resource().equals(existing.get().resource())
                && requested.equals(existing.get().requestedPath());
      } else if (existing.isPresent() && movable(existing.get(), resource, path)) {
        // the layout or the folder mode changed: the file already backed up moves, it is not
        // downloaded again
        session.folder().move(existing.get().path(), path);
        sidecars.remove(existing.get());
        session.vacated(existing.get().path());
        action = BackupConstants.ACTION_SKIP;
        session.statistics().unchanged.incrementAndGet();
        session.statistics().moved.incrementAndGet();
        LOG.debug("Moved {} to {}", existing.get().path(), path);
      } else {
        if (existing.isPresent() && session.config().keepVersions()) {
          keepPreviousVersion(existing.get(), resource);
        }
        record = record.withStatus(AssetStatus.PENDING, null);
        action = BackupConstants.ACTION_DOWNLOAD;
      }
    }
    if (sameRecord) {
      catalog.markSeen(record.key(), session.runId()); // nothing changed: no need to rewrite it
      sidecars.ensure(record);
    } else if (!BackupConstants.ACTION_DOWNLOAD.equals(action)) {
      catalog.put(record); // a download is recorded once, when it is done or has failed
      if (BackupConstants.ACTION_SKIP.equals(action)) {
        sidecars.write(record); // same file, new metadata
      }
    }
    exchange.setProperty(BackupConstants.RECORD, record);
    exchange.setProperty(BackupConstants.ACTION, action);
  }

  /** The verified file is in place: the asset is backed up. */
  public void backedUp(Exchange exchange) throws IOException {
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    OriginalFiles.Written file =
        exchange.getProperty(BackupConstants.WRITTEN, OriginalFiles.Written.class);
    if (file == null) {
      throw new IOException("the download was not written");
    }
    AssetRecord done = record.backedUp(file.bytes(), file.md5(), Instant.now().toString());
    session
        .catalog()
        .putCompleted(done); // at once in the completion journal: a kill does not cost it
    sidecars.write(done);
    session.catalog().commitSoon();
    session.statistics().downloaded.incrementAndGet();
    session.statistics().bytes.addAndGet(file.bytes());
  }

  /**
   * The asset could not be backed up: record why and let the run go on. A failure that concerns the
   * whole run (the disk is full, a folder of the backup is a link) stops it instead, and a run that
   * is stopping records nothing: the asset is simply left for the next run.
   */
  public void failed(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    RunStoppedException stop = RunStoppedException.behind(cause);
    if (stop != null && session.requestStop(stop)) {
      LOG.debug("the run stops", cause);
    }
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    if (session.stopping() != null || cause instanceof CatalogClosedException) {
      leftForTheNextRun(exchange);
      return;
    }
    String reason = reason(cause, exchange.getProperty(BackupConstants.DOWNLOAD, Download.class));
    session.statistics().failed.incrementAndGet();
    if (record == null) {
      LOG.warn("Could not catalogue a listed asset: {}", reason);
      return;
    }
    session.catalog().put(record.withStatus(AssetStatus.FAILED, reason));
    LOG.warn(
        "Could not back up {}/{}/{}: {}",
        record.resourceType(),
        record.type(),
        record.publicId(),
        reason);
  }

  /**
   * The run stopped before this asset was done; the next run does it (its page is listed again).
   */
  private static void leftForTheNextRun(Exchange exchange) {
    exchange.setProperty(BackupConstants.ACTION, BackupConstants.ACTION_LEFT);
    ResourceListing.PageEnd page =
        exchange.getProperty(BackupConstants.PAGE_END, ResourceListing.PageEnd.class);
    if (page != null) {
      page.leaveAsset();
    }
  }

  /**
   * backup.keep-versions: before a new version replaces the file, the previous one moves to {@code
   * <name>.v<version>.<ext>} beside it, a path claimed like any other so it never lands on another
   * asset's file.
   */
  private void keepPreviousVersion(AssetRecord before, CloudinaryResource now) throws IOException {
    if (before.status() != AssetStatus.OK
        || before.version() == now.version()
        || before.path() == null) {
      return;
    }
    if (!session.folder().isRegularFile(before.path())) {
      return;
    }
    List<String> segments = new ArrayList<>(List.of(before.path().split("/")));
    String name = segments.remove(segments.size() - 1);
    int dot = name.lastIndexOf('.');
    segments.add(
        dot > 0
            ? name.substring(0, dot) + ".v" + before.version() + name.substring(dot)
            : name + ".v" + before.version());
    String kept =
        session.allocator().allocate(before.key() + "@v" + before.version(), segments, null, null);
    session.folder().move(before.path(), kept);
    LOG.info("Kept version {} of {} as {}", before.version(), before.publicId(), kept);
  }

  /** Dry run: how the asset compares with the catalog, counted and not written anywhere. */
  private void compare(CloudinaryResource resource) {
    Catalog catalog = session.catalog();
    AssetRecord before = catalog == null ? null : catalog.get(resource.key()).orElse(null);
    boolean catalogued = before != null && before.status() != AssetStatus.DELETED;
    DryRunReport.Change change;
    if (!resource.hasOriginal()) {
      change = DryRunReport.Change.NO_ORIGINAL;
    } else if (!catalogued) {
      change = DryRunReport.Change.NEW;
    } else if (before.path() != null
        && !String.join("/", session.requestedSegments(resource)).equals(before.requestedPath())
        && before.version() == resource.version()
        && before.status() == AssetStatus.OK
        && session.folder().holds(before.path(), before.writtenBytes())) {
      change = DryRunReport.Change.MOVED; // a new layout or folder mode: a real run moves the file
    } else if (before.path() != null && unchanged(before, resource, before.path())) {
      change = DryRunReport.Change.UNCHANGED;
    } else {
      change = DryRunReport.Change.CHANGED;
    }
    session.dryRunReport().count(resource.resourceType(), change, resource.bytes(), catalogued);
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

  /**
   * A short reason for the catalog: why a download was cut short if it was, else the root cause;
   * never a URL, which may carry a signature.
   */
  static String reason(Throwable cause, Download download) {
    if (download != null && download.abortedBecause() != null) {
      return download.abortedBecause();
    }
    if (cause == null) {
      return "unknown error";
    }
    Throwable root = cause;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HttpOperationFailedException http) {
        String text =
            http.getStatusText() == null || http.getStatusText().isEmpty()
                ? ""
                : " " + http.getStatusText();
        return "HTTP " + http.getStatusCode() + text + " while downloading the original";
      }
      if (t instanceof LocalWriteException local) {
        return local.getMessage();
      }
      root = t;
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return Messages.oneLine(message.replaceAll("https?://\\S+", "<url>"));
  }
}
