package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;

/**
 * What the run does with one listed asset, decided by {@link AssetPlanner} and carried to the
 * branch of {@code routes/backup.yaml} that does it.
 *
 * @param outcome which branch
 * @param resource the asset as the listing gave it
 * @param record its catalog record for this run: the path it gets, and the status it keeps until
 *     its branch is done (null when the outcome is {@link Outcome#LEFT} or {@link
 *     Outcome#REPORT_ONLY})
 * @param previous the record an earlier run left, or null for an asset new to the catalog
 * @param sameRecord nothing about the asset changed since that record: the catalog needs only a
 *     "seen" mark
 * @param dryRunChange for {@link Outcome#REPORT_ONLY}: how the asset compares with the catalog
 */
public record AssetPlan(
    Outcome outcome,
    CloudinaryResource resource,
    AssetRecord record,
    AssetRecord previous,
    boolean sameRecord,
    DryRunReport.Change dryRunChange) {

  /** The branches an asset can take. */
  public enum Outcome {
    /**
     * Not backed up yet, or changed (another version, a file no longer whole): download the
     * original.
     */
    DOWNLOAD,
    /**
     * Backed up before, same version, its file still whole at its place: only the catalog is
     * updated.
     */
    UNCHANGED,
    /**
     * Backed up before, same version, but the layout or folder mode gives it another place: move
     * the file.
     */
    MOVE,
    /**
     * A remote reference (facebook, fetch, youtube, …): Cloudinary stores no original; catalogued
     * only.
     */
    NO_ORIGINAL,
    /** A dry run: compared with the catalog and counted, nothing written. */
    REPORT_ONLY,
    /** The run is stopping: left for the next run, which lists its page again. */
    LEFT
  }
}
