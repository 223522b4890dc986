package io.github.cloudinarybackup;

/** Names of the exchange properties the backup routes share; the YAML refers to them. */
public final class BackupConstants {

  /** The {@link io.github.cloudinarybackup.catalog.AssetRecord} of the asset being backed up. */
  public static final String RECORD = "CloudinaryBackupRecord";

  /**
   * The asset's {@link io.github.cloudinarybackup.run.AssetPlan}: which branch of the flow it
   * takes, and why.
   */
  public static final String PLAN = "CloudinaryBackupPlan";

  /**
   * The name of the plan's {@link io.github.cloudinarybackup.run.AssetPlan.Outcome}, a text the
   * YAML's {@code choice} compares as it is: reaching it through the plan ({@code
   * ${exchangeProperty.CloudinaryBackupPlan.outcome.name()}}) took Camel's bean introspection at
   * each branch tested, a sixth of a no-op run's CPU on the download threads.
   */
  public static final String OUTCOME = "CloudinaryBackupOutcome";

  /**
   * The listing being paged through ({@link
   * io.github.cloudinarybackup.run.ResourceListing.Cursor}).
   */
  public static final String LISTING = "CloudinaryBackupListing";

  /**
   * What completing the page saves ({@link
   * io.github.cloudinarybackup.run.ResourceListing.PageEnd}).
   */
  public static final String PAGE_END = "CloudinaryBackupPageEnd";

  /** {@code true} when the listing has a page after the one just fetched. */
  public static final String HAS_MORE_PAGES = "CloudinaryBackupHasMorePages";

  /** The download attempt in flight ({@link io.github.cloudinarybackup.download.Download}). */
  public static final String DOWNLOAD = "CloudinaryBackupDownload";

  /**
   * The verified file the download wrote ({@link
   * io.github.cloudinarybackup.download.OriginalFiles.Written}).
   */
  public static final String WRITTEN = "CloudinaryBackupWritten";

  private BackupConstants() {}
}
