package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import io.github.cloudinarybackup.config.BackupConfiguration;
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

  /** Prefix of files being downloaded; short, because names may be up to 240 bytes already. */
  public static final String TEMP_PREFIX = ".~cb";

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
      new PathSanitizer(Set.of(BackupConfiguration.STATE_FOLDER), TEMP_PREFIX, SIDECAR_SUFFIX);

  private volatile Catalog catalog;
  private volatile PathAllocator allocator;
  private volatile FolderMode folderMode = FolderMode.UNKNOWN;
  private volatile LayoutTemplate configuredLayout;
  private volatile String runId;
  private volatile long expectedAssets;
  private volatile DryRunReport dryRunReport = new DryRunReport();
  /** Two pages backed up at once (up to 1,000 assets), a third being listed: enough to never drain. */
  private final PagesInFlight pages = new PagesInFlight(this, 2);

  public BackupSession(BackupConfiguration config, CloudinaryAdmin admin, RunOutcome outcome) {
    this.config = config;
    this.admin = admin;
    this.outcome = outcome;
  }

  /** A new run begins (a scheduled daemon runs many): fresh statistics, outcome and run id. */
  synchronized void reset() {
    earlierRuns.accumulate(statistics);
    this.statistics = new RunStatistics();
    this.dryRunReport = new DryRunReport();
    this.runId = null;
    pages.reset();
    outcome.reset();
  }

  /** The catalog is open (before the first Admin call if it existed, else after the credential check). */
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
    this.configuredLayout = config.layout().isEmpty() ? null : LayoutTemplate.parse(config.layout());
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
          case UNKNOWN -> resource.fields().containsKey("asset_folder") || resource.fields().containsKey("display_name");
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
