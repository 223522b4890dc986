package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;

/** How the run ended: the exit code the process returns. The first abort wins. */
public final class RunOutcome {

  private volatile int exitCode = ExitCode.ABORTED;
  private volatile boolean aborted;
  private volatile boolean settled;

  /** Whether the run reached its end or an abort; if not, it died and the exit code says so. */
  public boolean settled() {
    return settled;
  }

  public int exitCode() {
    return exitCode;
  }

  /** A new run starts: the outcome is the last run's. */
  public synchronized void reset() {
    exitCode = ExitCode.ABORTED;
    aborted = false;
    settled = false;
  }

  public synchronized void finished(int code) {
    if (!aborted) {
      exitCode = code;
      settled = true;
    }
  }

  public synchronized void abort(int code) {
    if (!aborted) {
      aborted = true;
      settled = true;
      exitCode = code;
    }
  }
}
