package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an asset stands in the backup; the wire value is what the manifest shows. */
public enum AssetStatus {
  /** Listed and being downloaded; held in memory only, never written to the catalog. */
  PENDING("pending"),
  /** The original is on disk, complete, with the recorded size and MD5. */
  OK("ok"),
  /** A remote reference (facebook, fetch, youtube, …): Cloudinary stores no original to back up. */
  NO_ORIGINAL("no-original"),
  /** The original could not be backed up; the record says why. */
  FAILED("failed"),
  /** A finished run no longer found the asset in the account; its file is kept. */
  DELETED("deleted");

  private final String wire;

  AssetStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** The status with this wire value, or {@code null}. */
  public static AssetStatus ofWire(String wire) {
    for (AssetStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    return null;
  }
}
