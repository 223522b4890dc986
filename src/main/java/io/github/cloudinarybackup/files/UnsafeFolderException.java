package io.github.cloudinarybackup.files;

import java.io.IOException;

/**
 * A folder inside the backup is a symbolic link: following it would write outside the backup
 * folder, so nothing is written there (unless {@code backup.follow-symlinks=true}).
 */
public final class UnsafeFolderException extends IOException {

  private final String folder;

  UnsafeFolderException(String folder, String target) {
    super(
        "the folder '"
            + folder
            + "' inside the backup is a symbolic link"
            + (target == null ? "" : " to " + target)
            + "; nothing is written through links. Remove the link, or set backup.follow-symlinks=true to write through it");
    this.folder = folder;
  }

  /** The folder, relative to the backup folder. */
  public String folder() {
    return folder;
  }
}
