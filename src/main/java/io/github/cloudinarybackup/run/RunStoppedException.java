package io.github.cloudinarybackup.run;

/**
 * The run stops before its end, for a reason that concerns the whole run rather than one asset: the
 * process was asked to stop, the disk is full, a folder of the backup is a link, the listing went
 * round in a circle. Whatever is done stays done; the message says what happened and what to do.
 */
public final class RunStoppedException extends RuntimeException {

  private final int exitCode;

  public RunStoppedException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public RunStoppedException(String message, int exitCode, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  /** The process's exit code for this stop. */
  public int exitCode() {
    return exitCode;
  }
}
