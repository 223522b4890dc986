package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.config.CloudinaryCredentials;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * What a restore does: from which backup into which account, which assets, and how.
 *
 * @param backupDir the backup folder
 * @param catalog the backup's catalog file
 * @param target the account to restore into
 * @param dryRun list what would be done; upload and create nothing
 * @param overwrite replace a different asset found at the same public_id (otherwise it is left and
 *     reported)
 * @param prefix only public_ids starting with this, or null
 * @param folder only assets in this folder or below it, or null
 * @param tags only assets with one of these tags; empty for all
 * @param resourceTypes only these resource types
 * @param deletedSince restore the assets deleted upstream since this instant (instead of the live
 *     ones), or null
 * @param asOf restore each asset's file as it was at this instant (an older file kept by
 *     backup.keep-versions), or null for the latest
 * @param configuration restore the account's configuration kept with the backup
 * @param concurrency uploads at once
 * @param chunkSize files larger than this go in parts of this size ({@code uploadLarge})
 * @param attempts tries per upload when Cloudinary is unavailable or says to wait
 */
public record RestoreOptions(
    Path backupDir,
    Path catalog,
    CloudinaryCredentials target,
    boolean dryRun,
    boolean overwrite,
    String prefix,
    String folder,
    Set<String> tags,
    Set<String> resourceTypes,
    Instant deletedSince,
    Instant asOf,
    boolean configuration,
    int concurrency,
    int chunkSize,
    int attempts) {}
