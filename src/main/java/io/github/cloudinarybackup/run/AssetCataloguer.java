package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.CatalogClosedException;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.download.Download;
import io.github.cloudinarybackup.download.OriginalFiles;
import io.github.cloudinarybackup.files.LocalWriteException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog in step with each asset along the branch its {@link AssetPlan} names: a seen
 * mark or new metadata for an unchanged asset, a moved file, a catalogue-only record, a dry run's
 * count; the backed-up record once the downloaded file is in place, or the failure with its reason.
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
   * {@link AssetPlan.Outcome#DOWNLOAD}, before the download: with backup.keep-versions, the
   * previous file moves aside.
   */
  public void beforeDownload(Exchange exchange) throws IOException {
    AssetPlan plan = plan(exchange);
    if (plan.previous() != null && session.config().keepVersions()) {
      keepPreviousVersion(plan.previous(), plan.resource());
    }
  }

  /** {@link AssetPlan.Outcome#UNCHANGED}: a "seen" mark, or the record with its new metadata. */
  public void unchanged(Exchange exchange) throws IOException {
    AssetPlan plan = plan(exchange);
    session.statistics().unchanged.incrementAndGet();
    if (plan.sameRecord()) {
      seen(plan.record());
    } else {
      session.catalog().put(plan.record());
      sidecars.write(plan.record()); // same file, new metadata
    }
  }

  /**
   * {@link AssetPlan.Outcome#MOVE}: the file backed up moves to its new place; nothing is
   * downloaded.
   */
  public void moved(Exchange exchange) throws IOException {
    AssetPlan plan = plan(exchange);
    AssetRecord previous = plan.previous();
    session.folder().move(previous.path(), plan.record().path());
    sidecars.remove(previous);
    session.vacated(previous.path());
    session.statistics().unchanged.incrementAndGet();
    session.statistics().moved.incrementAndGet();
    LOG.debug("Moved {} to {}", previous.path(), plan.record().path());
    session.catalog().put(plan.record());
    sidecars.write(plan.record());
  }

  /** {@link AssetPlan.Outcome#NO_ORIGINAL}: catalogued, nothing to download. */
  public void noOriginal(Exchange exchange) throws IOException {
    AssetPlan plan = plan(exchange);
    session.statistics().noOriginal.incrementAndGet();
    if (plan.sameRecord()) {
      seen(plan.record());
    } else {
      session.catalog().put(plan.record());
    }
  }

  /**
   * {@link AssetPlan.Outcome#REPORT_ONLY}: a dry run counts how the asset compares with the
   * catalog.
   */
  public void reportOnly(Exchange exchange) {
    AssetPlan plan = plan(exchange);
    CloudinaryResource resource = plan.resource();
    boolean catalogued = plan.previous() != null && plan.previous().status() != AssetStatus.DELETED;
    session
        .dryRunReport()
        .count(resource.resourceType(), plan.dryRunChange(), resource.bytes(), catalogued);
  }

  /**
   * {@link AssetPlan.Outcome#LEFT}: the run is stopping; the next run lists the asset's page again.
   */
  public void left(Exchange exchange) {
    leftForTheNextRun(exchange);
  }

  /** Nothing changed: the catalog needs no rewrite, only the mark that this run saw it. */
  private void seen(AssetRecord record) throws IOException {
    session.catalog().markSeen(record.key(), session.runId());
    sidecars.ensure(record);
  }

  private static AssetPlan plan(Exchange exchange) {
    return exchange.getProperty(BackupConstants.PLAN, AssetPlan.class);
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
