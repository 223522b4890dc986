package io.github.cloudinarybackup.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Writing into the backup folder failed on this machine's side (not the server's): the disk is
 * full, the filesystem rejects a name, a file stands where a folder must go. Another try would fail
 * the same way, so these are not retried.
 */
public final class LocalWriteException extends IOException {

  public LocalWriteException(String what, IOException cause) {
    super(what + ": " + reason(cause), cause);
  }

  /** No space (or quota) left: every other download would fail the same way, so the run stops. */
  public boolean diskFull() {
    return isDiskFull((IOException) getCause());
  }

  /**
   * The operating system's reason, as it states it ("No space left on device", "File name too
   * long").
   */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      if (fs.getReason() != null) {
        return fs.getReason();
      }
      // Java states some errors by the exception's class alone, its message being the path
      if (fs instanceof AccessDeniedException) {
        return "Permission denied";
      } else if (fs instanceof NoSuchFileException) {
        return "No such file or directory";
      } else if (fs instanceof FileAlreadyExistsException) {
        return "File exists (a file is where a folder must go)";
      } else if (fs instanceof NotDirectoryException) {
        return "Not a directory";
      } else if (fs instanceof DirectoryNotEmptyException) {
        return "Directory not empty";
      } else if (fs instanceof FileSystemLoopException) {
        return "Too many levels of symbolic links";
      }
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** The file an I/O error is about, when it names one. */
  public static String file(IOException e) {
    return e instanceof FileSystemException fs ? fs.getFile() : null;
  }

  /** Whether an I/O error says that the disk (or the user's quota) is full. */
  public static boolean isDiskFull(IOException e) {
    String reason = reason(e).toLowerCase(Locale.ROOT);
    return reason.contains("no space left")
        || reason.contains("disk quota exceeded")
        || reason.contains("not enough space");
  }
}
