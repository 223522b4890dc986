package io.github.cloudinarybackup.restore;

/** What a restore does with one asset of the backup. */
enum RestoreAction {
  /** Not in the account: upload it. */
  UPLOAD("upload"),
  /** A different asset is at its public_id and {@code --overwrite} was given: upload over it. */
  REPLACE("replace"),
  /** The account has it with the same content (etag = the backup's MD5): nothing to send. */
  PRESENT("present"),
  /**
   * A different asset is at its public_id: left as it is (reported; {@code --overwrite} replaces
   * it).
   */
  CONFLICT("conflict"),
  /**
   * A remote reference (facebook, fetch, youtube, …): Cloudinary stored no original, so there is
   * none to upload.
   */
  NO_ORIGINAL("no original"),
  /** The backup has no file for it (its download failed): nothing to upload. */
  NOT_BACKED_UP("not backed up"),
  /**
   * With {@code --as-of}: the asset changed (or appeared) after the date, and no older file of it
   * was kept.
   */
  NOT_KEPT("not kept");

  private final String label;

  RestoreAction(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  boolean uploads() {
    return this == UPLOAD || this == REPLACE;
  }
}
