package io.github.cloudinarybackup.emulator;

import java.util.Locale;

/**
 * Cloudinary's folder mode, as reported by {@code GET config?settings=true} under {@code
 * settings.folder_mode}.
 */
public enum FolderMode {
  /**
   * Legacy mode: the folder is the directory part of the public_id; list items carry {@code
   * folder}.
   */
  FIXED,
  /**
   * Folders are decoupled from public_ids; list items carry {@code asset_folder} and {@code
   * display_name}.
   */
  DYNAMIC;

  /** The value Cloudinary puts on the wire: {@code fixed} or {@code dynamic}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FolderMode fromWire(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
