package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.files.LocalWriteException;
import io.github.cloudinarybackup.files.UnsafeFolderException;
import java.io.IOException;

/**
 * The run stops before its end, for a reason that concerns the whole run rather than one asset: the
 * process was asked to stop, the disk is full, a folder of the backup is a link, the listing went
 * round in a circle. Whatever is done stays done; the message says what happened and what to do.
 */
public final class RunStoppedException extends RuntimeException {

  private final int exitCode;
  private final boolean signalled;

  public RunStoppedException(String message, int exitCode) {
    this(message, exitCode, null, false);
  }

  public RunStoppedException(String message, int exitCode, Throwable cause) {
    this(message, exitCode, cause, false);
  }

  private RunStoppedException(String message, int exitCode, Throwable cause, boolean signalled) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
    this.signalled = signalled;
  }

  /** The process was asked to stop by a signal; {@link GracefulStop} ends it and says so itself. */
  static RunStoppedException bySignal(String signal, int exitCode) {
    return new RunStoppedException(
        "interrupted by " + signal + "; run the same command again to resume",
        exitCode,
        null,
        true);
  }

  /** Whether the stop came from a signal (the one who handles it reports it). */
  public boolean signalled() {
    return signalled;
  }

  /** The process's exit code for this stop. */
  public int exitCode() {
    return exitCode;
  }

  /**
   * A failure that stops the whole run, as the reason it gives; {@code null} for an asset's own
   * failure.
   */
  public static RunStoppedException behind(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RunStoppedException stop) {
        return stop;
      }
      if (t instanceof CatalogUnusableException damaged) {
        return new RunStoppedException(damaged.getMessage(), ExitCode.ABORTED, damaged);
      }
      if (t instanceof UnsafeFolderException unsafe) {
        return new RunStoppedException(unsafe.getMessage(), ExitCode.CONFIGURATION, unsafe);
      }
      if (t instanceof IOException io && LocalWriteException.isDiskFull(io)) {
        // the originals' disk, or the catalog's: every other write would fail the same way
        return new RunStoppedException(
            "the disk is full ("
                + Messages.oneLine(io)
                + "); make room and run the same command again to resume",
            ExitCode.ABORTED,
            io);
      }
    }
    return null;
  }
}
