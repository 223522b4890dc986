package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.layout.LayoutTemplate;
import io.github.cloudinarybackup.layout.PathAllocator;
import io.github.cloudinarybackup.layout.PathSanitizer;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The state of the run in progress, shared by the beans of the routes: settings, the Cloudinary
 * client, and (once the credentials are checked) the open catalog, the folder mode and the layout.
 */
public final class BackupSession {

  /** Ends the JSON sidecar written beside an original; a real asset so named is escaped. */
  public static final String SIDECAR_SUFFIX = ".cloudinary.json";

  private static final LayoutTemplate FIXED_LAYOUT = LayoutTemplate.parse(LayoutTemplate.FIXED);
  private static final LayoutTemplate DYNAMIC_LAYOUT = LayoutTemplate.parse(LayoutTemplate.DYNAMIC);

  private final BackupConfiguration config;
  private final CloudinaryAdmin admin;
  private volatile RunStatistics statistics = new RunStatistics();

  /** The counters of the runs before this one (a scheduled daemon runs many). */
  private final RunStatistics earlierRuns = new RunStatistics();

  private final RunOutcome outcome;
  private final PathSanitizer sanitizer =
      new PathSanitizer(
          Set.of(BackupConfiguration.STATE_FOLDER), BackupFolder.TEMP_PREFIX, SIDECAR_SUFFIX);

  private final BackupFolder folder;
  private volatile Catalog catalog;
  private volatile PathAllocator allocator;
  private volatile FolderMode folderMode = FolderMode.UNKNOWN;
  private volatile LayoutTemplate configuredLayout;
  private volatile String runId;
  private volatile long expectedAssets;
  private volatile DryRunReport dryRunReport = new DryRunReport();

  /**
   * Two pages backed up at once (up to 1,000 assets), a third being listed: enough to never drain.
   */
  private final PagesInFlight pages = new PagesInFlight(this, 2);

  /** Why the run is stopping before its end, once something asked it to. */
  private RunStoppedException stop;

  /** The run got to its end (manifest, summary): too late to stop it. */
  private boolean ending;

  public BackupSession(BackupConfiguration config, CloudinaryAdmin admin, RunOutcome outcome) {
    this.config = config;
    this.admin = admin;
    this.outcome = outcome;
    this.folder = new BackupFolder(config.backupDir(), config.followSymlinks(), config.ownerOnly());
  }

  /** The backup folder, written only through this: never outside it, never through a link. */
  public BackupFolder folder() {
    return folder;
  }

  /** What the run kept of the account's configuration, for the summary; null before it is saved. */
  private volatile String configurationSummary;

  void configurationSummary(String summary) {
    this.configurationSummary = summary;
  }

  public String configurationSummary() {
    return configurationSummary;
  }

  /**
   * Folders a file moved out of in this run (a new layout), to remove at its end if they are empty.
   */
  private final java.util.Set<String> vacatedFolders =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The file at {@code path} moved elsewhere: its folder may be left empty. */
  void vacated(String path) {
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      vacatedFolders.add(path.substring(0, slash));
    }
  }

  /** The folders files moved out of, forgotten once taken. */
  java.util.List<String> takeVacatedFolders() {
    java.util.List<String> taken = new java.util.ArrayList<>(vacatedFolders);
    vacatedFolders.removeAll(taken);
    return taken;
  }

  /** A new run begins (a scheduled daemon runs many): fresh statistics, outcome and run id. */
  synchronized void reset() {
    earlierRuns.accumulate(statistics);
    this.statistics = new RunStatistics();
    this.dryRunReport = new DryRunReport();
    this.runId = null;
    this.configurationSummary = null;
    this.stop = null;
    this.ending = false;
    pages.reset();
    outcome.reset();
  }

  /**
   * Asks the run to stop: listing stops, assets not yet started are left for the next run, and the
   * first reason given is the one reported.
   *
   * @return false if the run already had a reason to stop, or has got to its end
   */
  public synchronized boolean requestStop(RunStoppedException reason) {
    if (stop != null || ending) {
      return false;
    }
    stop = reason;
    return true;
  }

  /** Why the run is stopping, or {@code null} while it goes on. */
  public synchronized RunStoppedException stopping() {
    return stop;
  }

  /** Throws the reason the run is stopping, if it is. */
  public void requireNotStopping() {
    RunStoppedException reason = stopping();
    if (reason != null) {
      throw reason;
    }
  }

  /**
   * The run reaches its end (manifest, summary); from now on a stop request waits for it.
   *
   * @return false if the run is stopping instead
   */
  synchronized boolean beginEnding() {
    if (stop != null) {
      return false;
    }
    ending = true;
    return true;
  }

  /** Whether the run is writing its manifest and summary. */
  public synchronized boolean ending() {
    return ending;
  }

  /**
   * The catalog is open (before the first Admin call if it existed, else after the credential
   * check).
   */
  void attach(Catalog openCatalog) {
    this.catalog = openCatalog;
    this.allocator = new PathAllocator(openCatalog.pathClaims());
  }

  /** What the account check said. */
  void folderMode(FolderMode mode) {
    this.folderMode = mode;
  }

  /** The run starts (or resumes) under this id. */
  void start(String id) {
    this.runId = id;
    this.expectedAssets = catalog == null ? 0 : catalog.size();
    this.configuredLayout =
        config.layout().isEmpty() ? null : LayoutTemplate.parse(config.layout());
  }

  /** Where {@code resource} should go, as safe path segments, before collisions are resolved. */
  public List<String> requestedSegments(CloudinaryResource resource) {
    return layoutFor(resource).render(resource, sanitizer);
  }

  private LayoutTemplate layoutFor(CloudinaryResource resource) {
    if (configuredLayout != null) {
      return configuredLayout;
    }
    boolean dynamic =
        switch (folderMode) {
          case DYNAMIC -> true;
          case FIXED -> false;
          case UNKNOWN ->
              resource.fields().containsKey("asset_folder")
                  || resource.fields().containsKey("display_name");
        };
    return dynamic ? DYNAMIC_LAYOUT : FIXED_LAYOUT;
  }

  public BackupConfiguration config() {
    return config;
  }

  public CloudinaryAdmin admin() {
    return admin;
  }

  public Catalog catalog() {
    return catalog;
  }

  public PathAllocator allocator() {
    return allocator;
  }

  public FolderMode folderMode() {
    return folderMode;
  }

  public String runId() {
    return runId;
  }

  public RunStatistics statistics() {
    return statistics;
  }

  /** A counter summed over every run of this process: the metrics must never go down. */
  public synchronized long total(ToLongFunction<RunStatistics> counter) {
    return counter.applyAsLong(earlierRuns) + counter.applyAsLong(statistics);
  }

  public RunOutcome outcome() {
    return outcome;
  }

  /** Whether a run is under way: started and its catalog still open. */
  public boolean running() {
    return runId != null && (catalog != null || config.dryRun());
  }

  /** The pages handed from the listing to the downloads. */
  public PagesInFlight pages() {
    return pages;
  }

  /** What a dry run has found so far. */
  public DryRunReport dryRunReport() {
    return dryRunReport;
  }

  /** How many assets the catalog knew when the run began: the ETA's estimate of the account. */
  public long expectedAssets() {
    return expectedAssets;
  }

  /** Forgets the catalog once it is closed. */
  void closed() {
    this.catalog = null;
    this.allocator = null;
  }
}
