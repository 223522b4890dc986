package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;

/** How the run ended: the exit code the process returns. The first abort wins. */
public final class RunOutcome {

  private volatile int exitCode = ExitCode.OK;
  private volatile boolean aborted;

  public int exitCode() {
    return exitCode;
  }

  public boolean aborted() {
    return aborted;
  }

  public synchronized void finished(int code) {
    if (!aborted) {
      exitCode = code;
    }
  }

  public synchronized void abort(int code) {
    if (!aborted) {
      aborted = true;
      exitCode = code;
    }
  }
}
