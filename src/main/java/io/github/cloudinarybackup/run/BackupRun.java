package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.catalog.ManifestStamp;
import io.github.cloudinarybackup.catalog.ManifestWriter;
import io.github.cloudinarybackup.catalog.RecordSpill;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.ConfigurationException;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.files.LocalWriteException;
import io.github.cloudinarybackup.files.UnsafeFolderException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronExpression;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The beginning and the end of a backup run: checks, catalog, manifest, summary, exit code. */
public final class BackupRun {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);
  private static final int FAILURES_SHOWN = 20;

  /** The trigger of routes/backup.yaml's quartz:cloudinary-backup/scheduled. */
  private static final String SCHEDULED_GROUP = "cloudinary-backup";

  private static final String SCHEDULED_TRIGGER = "scheduled";

  /** Where backup.prune moves the files of deleted assets, relative to the backup folder. */
  private static final String TRASH = BackupConfiguration.STATE_FOLDER + "/trash/";

  private final BackupSession session;
  private final RateLimitGate gate;
  private final ManifestWriter manifest;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean exitsTheJvm;

  /** Admin calls made before this run started (by earlier runs of a daemon). */
  private long adminCallsBefore;

  /**
   * @param exitsTheJvm whether a one-shot run ends the JVM with its exit code once Camel has
   *     stopped: under {@code camel run} or Camel K no {@code BackupCommand} returns it
   */
  public BackupRun(
      BackupSession session,
      RateLimitGate gate,
      PrintStream out,
      PrintStream err,
      boolean exitsTheJvm) {
    this.session = session;
    this.gate = gate;
    this.manifest =
        new ManifestWriter(session.config().manifestCsv(), session.folder().fileAttributes());
    this.out = out;
    this.err = err;
    this.exitsTheJvm = exitsTheJvm;
  }

  /**
   * Before any Admin call: the settings must be valid, and an existing catalog is opened so that a
   * rate-limit pause an earlier process was told is respected.
   */
  public void prepare() throws IOException {
    session.reset();
    BackupConfiguration config = session.config();
    config.requireValid();
    // a daemon's client counts the calls of every run; the summary shows this run's
    adminCallsBefore = session.admin().calls();
    if (!config.followSymlinks() && Files.isSymbolicLink(config.stateDir())) {
      // checked before the catalog in it is opened (which may complete a commit there)
      throw new ConfigurationException(
          "the folder '"
              + BackupConfiguration.STATE_FOLDER
              + "' inside the backup is a"
              + " symbolic link; nothing is written through links. Remove the link, or set backup.follow-symlinks=true");
    }
    if (Files.exists(config.catalogFile())) {
      try {
        session.attach(Catalog.open(config.catalogFile()));
        gate.restore(session.catalog());
      } catch (CatalogUnusableException e) {
        if (!e.damaged()) {
          throw new ConfigurationException(e.getMessage(), e);
        }
        // dealt with once the credentials are known to work (begin): nothing is changed before that
      }
    }
  }

  /** One Admin call: are the credentials good, and which folder mode does the account use? */
  public void checkAccount() throws Exception {
    FolderMode detected = session.admin().checkCredentialsAndFolderMode();
    session.folderMode(
        switch (session.config().folderMode()) {
          case "fixed" -> FolderMode.FIXED;
          case "dynamic" -> FolderMode.DYNAMIC;
          default -> detected;
        });
    String prefix = session.config().prefix();
    if (prefix != null && session.folderMode() == FolderMode.DYNAMIC) {
      // a public_id does not carry the asset's folder in dynamic mode: a folder name as prefix
      // matches
      // only assets whose public_ids happen to start with it
      LOG.warn(
          "backup.prefix '{}' is matched against public_ids, which in dynamic folder mode do not carry the asset's"
              + " folder; to back up a folder use --search-expression \"asset_folder:{}/*\" instead",
          prefix,
          prefix.replaceAll("/+$", ""));
    }
  }

  /**
   * The credentials work: create the backup folder, open the catalog, and start a run or resume the
   * unfinished one.
   */
  public void begin() throws IOException {
    BackupConfiguration config = session.config();
    Path dir = config.backupDir();
    if (config.dryRun()) {
      // nothing is created: an existing catalog was opened read-only by prepare(), if there is one
      session.start("dry-run");
      session.statistics().start();
      LOG.info(
          "Dry run of cloud '{}': listing and comparing with the catalog, writing nothing",
          config.credentials().cloudName());
      return;
    }
    prepareFolder(dir);
    if (session.catalog() == null) {
      session.attach(openCatalog(config));
    }
    Catalog catalog = session.catalog();
    if (catalog.needsRebuild() && CatalogRebuild.possible(config.stateDir())) {
      rebuildCatalog(catalog);
    }
    putBackCompletions(catalog);
    String runId = catalog.unfinishedRun().orElse(null);
    if (runId == null) {
      runId = catalog.startRun(Instant.now());
    } else {
      LOG.info("Resuming the unfinished run {}", runId);
      removeStaleTemporaries(dir);
    }
    session.start(runId);
    session.statistics().start();
    LOG.info(
        "Backing up cloud '{}' ({} folders, {}) into {}",
        config.credentials().cloudName(),
        session.folderMode().name().toLowerCase(Locale.ROOT),
        String.join(", ", config.resourceTypes()),
        dir.toAbsolutePath());
  }

  /**
   * Creates the backup folder (owner-only unless configured otherwise) and checks that it can be
   * written, with the operating system's reason if not; its state folder must not be a link.
   */
  private void prepareFolder(Path dir) {
    try {
      session.folder().createRoot();
      Path probe =
          Files.createTempFile(session.folder().root(), BackupFolder.TEMP_PREFIX + "probe", null);
      Files.delete(probe);
      session.folder().ensureFolder(Path.of(BackupConfiguration.STATE_FOLDER));
    } catch (UnsafeFolderException e) {
      throw new ConfigurationException(e.getMessage(), e);
    } catch (IOException e) {
      // the OS's reason, and the file it is about when that is not the folder itself (a file in the
      // way)
      String file = LocalWriteException.file(e);
      String where =
          file == null || Path.of(file).toAbsolutePath().equals(dir.toAbsolutePath())
              ? ""
              : file + ": ";
      throw new ConfigurationException(
          "cannot write to the backup folder "
              + dir.toAbsolutePath()
              + ": "
              + where
              + LocalWriteException.reason(e),
          e);
    }
  }

  /**
   * Opens the catalog. A damaged one is moved aside (kept, with its redo file) and a new one
   * started, which {@link #begin} rebuilds from the manifest and the files on disk; with {@code
   * backup.catalog-recovery=stop} the run stops instead and nothing is changed.
   */
  private static Catalog openCatalog(BackupConfiguration config) throws IOException {
    Path file = config.catalogFile();
    try {
      return Catalog.open(file);
    } catch (CatalogUnusableException e) {
      if (!e.damaged()) {
        throw new ConfigurationException(e.getMessage(), e);
      }
      if ("stop".equals(config.catalogRecovery())) {
        throw new ConfigurationException(
            e.getMessage() + "; nothing was changed. " + REBUILD_ADVICE, e);
      }
      Path aside =
          file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
      Files.move(file, aside);
      // its redo file goes with it: applied to the new catalog, it would damage that one
      Path redo = file.resolveSibling(file.getFileName() + ".redo");
      if (Files.exists(redo)) {
        Files.move(redo, aside.resolveSibling(aside.getFileName() + ".redo"));
      }
      Files.deleteIfExists(Catalog.damageMarker(file));
      LOG.warn(
          "{}; it was moved to {} and a new catalog is rebuilt from the manifest and the files on disk",
          e.getMessage(),
          aside.getFileName());
      return Catalog.open(file);
    }
  }

  /**
   * Downloads a killed process completed after its last commit: their records come back from the
   * completion journal, each kept only if its file is there, whole, so none is downloaded again.
   */
  private void putBackCompletions(Catalog catalog) throws IOException {
    int kept = 0;
    List<AssetRecord> completed = catalog.leftOverCompletions();
    for (AssetRecord record : completed) {
      if (record.path() != null
          && session.folder().holds(record.path(), record.writtenBytes())
          && session.allocator().adopt(record.key(), record.path())) {
        catalog.put(record);
        kept++;
      }
    }
    if (!completed.isEmpty()) {
      catalog.commit();
      LOG.info(
          "{} of the {} downloads the interrupted run completed after its last commit are kept",
          kept,
          completed.size());
    }
    catalog.leftOverCompletionsPutBack();
  }

  /**
   * A new or emptied catalog beside a manifest: rebuilt from it, so nothing on disk is downloaded
   * again.
   */
  private void rebuildCatalog(Catalog catalog) throws IOException {
    Path manifestFile = session.config().stateDir().resolve(ManifestWriter.FILE_NAME);
    LOG.info(
        "The catalog is new or empty: rebuilding it from {} and the files on disk", manifestFile);
    catalog.rebuildBegins();
    CatalogRebuild.Result result =
        new CatalogRebuild(
                catalog, session.folder(), session.allocator(), session.config().concurrency())
            .rebuild(manifestFile);
    catalog.rebuildDone();
    LOG.info(
        "Catalog rebuilt: {} files verified and kept, {} to download again, {} without a file",
        result.adopted(),
        result.differing(),
        result.withoutFile());
  }

  /** Every listing is done: writes the manifest, prints the summary and sets the exit code. */
  public void end() throws IOException {
    if (!session.beginEnding()) {
      throw session.stopping(); // the run stops instead: see abort
    }
    Catalog catalog = session.catalog();
    if (session.config().dryRun()) {
      long[] inScope = {0};
      if (catalog != null) {
        catalog.forEach(
            r -> {
              if (r.status() != AssetStatus.DELETED
                  && session.config().resourceTypes().contains(r.resourceType())) {
                inScope[0]++;
              }
            });
        catalog.closeWithoutCommit();
        session.closed();
      }
      session
          .dryRunReport()
          .print(
              out,
              session.config().credentials().cloudName(),
              session.config().resourceTypes(),
              inScope[0]);
      session.outcome().finished(ExitCode.OK);
      return;
    }
    catalog.finishRun();
    session.folder().removeEmptyFolders(session.takeVacatedFolders());
    Map<AssetStatus, Long> counts = new EnumMap<>(AssetStatus.class);
    List<AssetRecord> failures = new ArrayList<>();
    String scope = manifestScope();
    Optional<ManifestStamp> unchanged =
        catalog.previousManifest().filter(stamp -> nothingChangedSince(stamp, scope));
    LOG.debug(
        "manifest: {} records written and {} assets seen unchanged in this run; the last manifest: {}",
        catalog.recordsWrittenThisRun(),
        catalog.assetsSeenThisRun(),
        catalog.previousManifest().orElse(null));
    long failedThisRun = 0;
    if (unchanged.isPresent()) {
      // no record changed and every live one was seen: the manifest on disk is this run's too
      counts.putAll(unchanged.get().counts());
      catalog.saveManifest(unchanged.get());
    } else {
      failedThisRun = writeManifest(scope, counts, failures);
    }
    Path file = session.config().stateDir().resolve(ManifestWriter.FILE_NAME);
    printSummary(counts, failures, failedThisRun, file);
    close();
    session.outcome().finished(failedThisRun > 0 ? ExitCode.FAILURES : ExitCode.OK);
  }

  /**
   * Reads every record: writes the manifest, marks what this run did not see as deleted, counts by
   * status and remembers what it found in the catalog.
   *
   * @return how many assets failed in this run
   */
  private long writeManifest(
      String scope, Map<AssetStatus, Long> counts, List<AssetRecord> failures) throws IOException {
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
  private String manifestScope() {
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

  private static final String REBUILD_ADVICE =
      "Run again without backup.catalog-recovery=stop to keep it aside and rebuild the catalog from"
          + " manifest.jsonl and the files on disk (nothing on disk is downloaded again)";

  /** The memory that ran out behind a failure, if that is what it was. */
  private static OutOfMemoryError outOfMemory(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  /** The damaged catalog behind a failure, if that is what it was. */
  private static CatalogUnusableException catalogDamage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CatalogUnusableException unusable && unusable.damaged()) {
        return unusable;
      }
    }
    return null;
  }

  /**
   * The run cannot go on: one clear line, the catalog committed as it stands, and the exit code.
   */
  public void abort(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    RunStoppedException stop = RunStoppedException.behind(cause);
    if (session.runId() != null) {
      // assets not yet started are left for the next run
      session.requestStop(
          stop != null ? stop : new RunStoppedException(Messages.oneLine(cause), ExitCode.ABORTED));
    }
    // pages already handed to the downloads finish (their assets are recorded) before the catalog
    // closes
    session.pages().awaitQuietly();
    String message = Messages.oneLine(cause);
    CatalogUnusableException damage = catalogDamage(cause);
    OutOfMemoryError outOfMemory = outOfMemory(cause);
    if (cause instanceof ConfigurationException) {
      err.println("cloudinary-backup: " + message);
      session.outcome().abort(ExitCode.CONFIGURATION);
    } else if (damage != null) {
      // the same run would fail on the same records again: the next one sets it aside and rebuilds
      // it
      err.println(
          "cloudinary-backup: "
              + damage.getMessage()
              + "; run the same command again: it keeps the damaged"
              + " catalog aside and rebuilds it from manifest.jsonl and the files on disk");
      session.outcome().abort(ExitCode.ABORTED);
      closeWithoutWriting();
      return;
    } else if (outOfMemory != null) {
      err.println("cloudinary-backup: " + Messages.outOfMemory(outOfMemory));
      session.outcome().abort(ExitCode.ABORTED);
    } else if (stop != null) {
      if (!stop.signalled()) { // GracefulStop reports a signal, once
        err.println("cloudinary-backup: " + stop.getMessage());
      }
      session.outcome().abort(stop.exitCode());
    } else if (session.runId() == null) {
      // the account could not even be checked: unreachable host, an API that answers nonsense
      err.println("cloudinary-backup: " + message);
      session.outcome().abort(ExitCode.CONFIGURATION);
    } else {
      LOG.debug("backup stopped", cause);
      err.println(
          "cloudinary-backup: the backup stopped: "
              + message
              + " (the catalog is intact; run the same command again to resume)");
      session.outcome().abort(ExitCode.ABORTED);
    }
    close();
  }

  /**
   * At start, a scheduled daemon says when its first backup is; unless the scheduler has fired it
   * already (it may fire one just past at once), in which case that run's end says when the next
   * is.
   */
  public void announceFirstRun(Exchange exchange) {
    Trigger trigger = scheduledTrigger(exchange.getContext());
    Date next = trigger == null ? null : trigger.getNextFireTime();
    // read after the next firing: a firing between the two reads shows here
    if (trigger != null && trigger.getPreviousFireTime() != null) {
      return;
    }
    announce(next);
  }

  /** After each run, a scheduled daemon says when its next backup is. */
  public void announceNextRun(Exchange exchange) {
    Trigger trigger = scheduledTrigger(exchange.getContext());
    announce(trigger == null ? null : trigger.getNextFireTime());
  }

  /** One line with the next firing: the scheduler's own, else the cron's next time from now. */
  private void announce(Date scheduled) {
    String cron = session.config().schedule();
    if (cron.isEmpty()) {
      return;
    }
    Date next = scheduled;
    try {
      if (next == null) {
        next = new CronExpression(cron).getNextValidTimeAfter(new Date());
      }
    } catch (ParseException e) {
      LOG.debug("cannot read the schedule {}: {}", cron, e.getMessage());
    }
    if (next != null) {
      out.println(
          "Next backup at "
              + next.toInstant()
                  .atZone(ZoneId.systemDefault())
                  .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              + " (backup.schedule="
              + cron
              + ")");
      out.flush();
    }
  }

  /** The trigger of the backup-scheduled route, or null before it is scheduled. */
  private static Trigger scheduledTrigger(CamelContext context) {
    try {
      QuartzComponent quartz =
          context.getComponent("quartz", false) instanceof QuartzComponent q ? q : null;
      if (quartz == null || quartz.getScheduler() == null) {
        return null;
      }
      return quartz
          .getScheduler()
          .getTrigger(TriggerKey.triggerKey(SCHEDULED_TRIGGER, SCHEDULED_GROUP));
    } catch (SchedulerException | RuntimeException e) {
      LOG.debug("cannot ask the scheduler for its next firing: {}", e.getMessage());
      return null;
    }
  }

  /**
   * Ends the process after a one-shot run; stopping from another thread lets this exchange finish.
   */
  public void stop(Exchange exchange) {
    Thread stopper =
        new Thread(
            () -> {
              int code =
                  session.outcome().settled() ? session.outcome().exitCode() : ExitCode.ABORTED;
              if (exitsTheJvm && code != ExitCode.OK) {
                // before the runtime ends the JVM with 0; its shutdown hook stops Camel
                System.exit(code);
              }
              exchange.getContext().stop();
            },
            "backup-stop");
    stopper.setDaemon(false);
    stopper.start();
  }

  private void close() {
    Catalog catalog = session.catalog();
    if (catalog != null) {
      try {
        catalog.close();
      } catch (RuntimeException e) {
        // its last commit stands (a full disk, say): the next run resumes from it
        LOG.warn("could not save the catalog's last changes: {}", Messages.oneLine(e));
      } finally {
        session.closed();
      }
    }
  }

  /** A damaged catalog is closed without another write (moving it aside is the way out). */
  private void closeWithoutWriting() {
    Catalog catalog = session.catalog();
    if (catalog != null) {
      try {
        catalog.closeWithoutCommit();
      } catch (RuntimeException e) {
        LOG.debug("closing the damaged catalog", e);
      }
      session.closed();
    }
  }

  private void printSummary(
      Map<AssetStatus, Long> counts,
      List<AssetRecord> failures,
      long failedThisRun,
      Path manifestFile) {
    RunStatistics s = session.statistics();
    out.printf(
        Locale.ROOT,
        "%nBackup of cloud '%s' finished in %.2f s%n"
            + "  listed        %,d assets in %,d pages (%,d Admin API calls)%n"
            + "  downloaded    %,d originals, %,.1f MB%n"
            + "  unchanged     %,d already backed up%s%n"
            + "  no original   %,d remote assets, recorded in the catalog only%n"
            + "  failed        %,d%n"
            + "  deleted       %,d no longer in the account (files kept)%n"
            + "  rate limit    %,d calls refused; waited %.1f s in %,d pauses%n"
            + "%s"
            + "  catalog       %,d assets: %,d ok, %,d no original, %,d failed, %,d deleted%n"
            + "  folder        %s%n"
            + "  manifest      %s%n",
        session.config().credentials().cloudName(),
        s.elapsedSeconds(),
        s.listed.get(),
        s.pages.get(),
        session.admin().calls() - adminCallsBefore,
        s.downloaded.get(),
        s.bytes.get() / 1e6,
        s.unchanged.get(),
        s.moved.get() == 0
            ? ""
            : String.format(
                Locale.ROOT, " (%,d moved to the place the layout now gives them)", s.moved.get()),
        s.noOriginal.get(),
        failedThisRun,
        s.deleted.get(),
        s.rateLimited.get(),
        s.rateLimitWaitMillis.get() / 1e3,
        s.rateLimitWaits.get(),
        session.configurationSummary() == null
            ? ""
            : "  config        " + session.configurationSummary() + "\n",
        counts.values().stream().mapToLong(Long::longValue).sum(),
        counts.getOrDefault(AssetStatus.OK, 0L),
        counts.getOrDefault(AssetStatus.NO_ORIGINAL, 0L),
        counts.getOrDefault(AssetStatus.FAILED, 0L),
        counts.getOrDefault(AssetStatus.DELETED, 0L),
        session.config().backupDir().toAbsolutePath(),
        manifestFile.toAbsolutePath());
    if (!failures.isEmpty()) {
      out.println("Failed assets (all of them are in the manifest with status \"failed\"):");
      for (AssetRecord r : failures) {
        out.printf("  %s/%s/%s: %s%n", r.resourceType(), r.type(), r.publicId(), r.reason());
      }
      if (failedThisRun > failures.size()) {
        out.printf("  … and %,d more%n", failedThisRun - failures.size());
      }
    }
    out.flush();
  }

  /**
   * Temporaries left by a crashed run; never a real asset, whose names cannot start so. Links are
   * not followed.
   */
  private static void removeStaleTemporaries(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(p -> p.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX))
          .filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                  LOG.debug("removed the stale temporary {}", p);
                } catch (IOException e) {
                  LOG.warn("cannot remove the stale temporary {}: {}", p, e.getMessage());
                }
              });
    }
  }
}
