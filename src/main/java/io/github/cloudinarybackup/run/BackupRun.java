package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.catalog.ManifestWriter;
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
import java.time.Instant;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beginning and the end of a backup run, as routes/backup.yaml's {@code backup} route calls
 * them: the settings and the account checked, the folder and the catalog made ready, then the
 * manifest and the summary, or the way out of a run that cannot go on; and the process's end.
 */
public final class BackupRun {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);

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
      session.attach(CatalogRecovery.open(config));
    }
    Catalog catalog = session.catalog();
    new CatalogRecovery(session).recover(catalog);
    String runId = catalog.unfinishedRun().orElse(null);
    if (runId == null) {
      runId = catalog.startRun(Instant.now());
    } else {
      LOG.info("Resuming the unfinished run {}", runId);
      CatalogRecovery.removeStaleTemporaries(dir);
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
    ManifestPass.Result pass = new ManifestPass(session, manifest).run();
    Path file = session.config().stateDir().resolve(ManifestWriter.FILE_NAME);
    RunSummary.print(out, session, session.admin().calls() - adminCallsBefore, pass, file);
    close();
    session.outcome().finished(pass.failedThisRun() > 0 ? ExitCode.FAILURES : ExitCode.OK);
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
    LOG.debug("backup stopped", cause);
    RunAbort verdict = RunAbort.of(cause, session.runId() != null);
    if (verdict.line() != null) {
      err.println(verdict.line());
    }
    session.outcome().abort(verdict.exitCode());
    if (verdict.catalogDamaged()) {
      closeWithoutWriting();
    } else {
      close();
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
}
