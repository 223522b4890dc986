package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.util.Map;

/**
 * One asset in the catalog: the resource exactly as the Admin API returned it, where its original
 * was written, and how that went. Stored as JSON in MapDB, keyed by {@link #key()} (the asset_id).
 *
 * @param path where the original is, relative to the backup folder and {@code /}-separated
 * @param requestedPath the path the layout asked for, before collisions were resolved
 * @param writtenBytes size of the file written
 * @param md5 hex MD5 of the file written
 * @param firstSeen when a run first listed the asset (ISO-8601)
 * @param lastSeen when a run last listed it
 * @param backedUpAt when the file was last written
 * @param runId the run that last listed the asset
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AssetRecord(
    String key,
    String assetId,
    String publicId,
    String resourceType,
    String type,
    long version,
    String format,
    long bytes,
    String path,
    String requestedPath,
    AssetStatus status,
    String reason,
    long writtenBytes,
    String md5,
    String firstSeen,
    String lastSeen,
    String backedUpAt,
    String runId,
    Map<String, Object> resource) {

  /** A fresh record for a resource that was just listed. */
  public static AssetRecord listed(CloudinaryResource r, String runId, String now) {
    return new AssetRecord(
        r.key(),
        r.assetId(),
        r.publicId(),
        r.resourceType(),
        r.type(),
        r.version(),
        r.format(),
        r.bytes(),
        null,
        null,
        AssetStatus.PENDING,
        null,
        0,
        null,
        now,
        now,
        null,
        runId,
        r.fields());
  }

  /** This record updated with what the latest listing said about the asset. */
  public AssetRecord relisted(CloudinaryResource r, String runId, String now) {
    return new AssetRecord(
        key,
        r.assetId(),
        r.publicId(),
        r.resourceType(),
        r.type(),
        r.version(),
        r.format(),
        r.bytes(),
        path,
        requestedPath,
        status,
        reason,
        writtenBytes,
        md5,
        firstSeen,
        now,
        backedUpAt,
        runId,
        r.fields());
  }

  public AssetRecord withPath(String newPath, String newRequestedPath) {
    return new AssetRecord(
        key,
        assetId,
        publicId,
        resourceType,
        type,
        version,
        format,
        bytes,
        newPath,
        newRequestedPath,
        status,
        reason,
        writtenBytes,
        md5,
        firstSeen,
        lastSeen,
        backedUpAt,
        runId,
        resource);
  }

  public AssetRecord withStatus(AssetStatus newStatus, String newReason) {
    return new AssetRecord(
        key,
        assetId,
        publicId,
        resourceType,
        type,
        version,
        format,
        bytes,
        path,
        requestedPath,
        newStatus,
        newReason,
        writtenBytes,
        md5,
        firstSeen,
        lastSeen,
        backedUpAt,
        runId,
        resource);
  }

  /**
   * This record, listed again by a later run that found nothing to change (the catalog keeps only a
   * "seen" mark for it): a run id is the instant the run started, so it stands for lastSeen too.
   */
  public AssetRecord seenIn(String laterRunId) {
    return new AssetRecord(
        key,
        assetId,
        publicId,
        resourceType,
        type,
        version,
        format,
        bytes,
        path,
        requestedPath,
        status,
        reason,
        writtenBytes,
        md5,
        firstSeen,
        laterRunId,
        backedUpAt,
        laterRunId,
        resource);
  }

  public AssetRecord backedUp(long written, String fileMd5, String at) {
    return new AssetRecord(
        key,
        assetId,
        publicId,
        resourceType,
        type,
        version,
        format,
        bytes,
        path,
        requestedPath,
        AssetStatus.OK,
        null,
        written,
        fileMd5,
        firstSeen,
        lastSeen,
        at,
        runId,
        resource);
  }

  /**
   * {@code resource_type/type/public_id}: where the asset is in its account, as messages name it.
   */
  public String locator() {
    return resourceType + "/" + type + "/" + publicId;
  }

  public CloudinaryResource asResource() {
    return new CloudinaryResource(resource);
  }
}
