package io.github.cloudinarybackup.run;

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
    return new RunStoppedException("interrupted by " + signal + "; run the same command again to resume", exitCode, null, true);
  }

  /** Whether the stop came from a signal (the one who handles it reports it). */
  public boolean signalled() {
    return signalled;
  }

  /** The process's exit code for this stop. */
  public int exitCode() {
    return exitCode;
  }
}
