package io.github.cloudinarybackup.cloudinary;

/** How the account organises folders (see GET /config?settings=true). */
public enum FolderMode {
  /** Legacy: the folder is part of the public_id. */
  FIXED,
  /** Folders are decoupled: assets carry asset_folder and display_name. */
  DYNAMIC,
  /** The API would not say: each asset is laid out by the keys it carries. */
  UNKNOWN
}
