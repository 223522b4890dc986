package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import java.time.Instant;

/**
 * How the run ended: the exit code the process returns. The first abort wins. A scheduled daemon
 * runs many times; when the last one ended, and the last that succeeded, outlive the reset.
 */
public final class RunOutcome {

  private volatile int exitCode = ExitCode.ABORTED;
  private volatile boolean aborted;
  private volatile boolean settled;
  private volatile Instant lastEnded;
  private volatile int lastExitCode = -1;
  private volatile Instant lastSucceeded;

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
      settle();
    }
  }

  public synchronized void abort(int code) {
    if (!aborted) {
      aborted = true;
      exitCode = code;
      settle();
    }
  }

  private void settle() {
    settled = true;
    lastEnded = Instant.now();
    lastExitCode = exitCode;
    if (exitCode == ExitCode.OK) {
      lastSucceeded = lastEnded;
    }
  }

  /** When a run of this process last ended, or {@code null} before the first. */
  public Instant lastEnded() {
    return lastEnded;
  }

  /** The exit code of the last run that ended, or -1 before the first. */
  public int lastExitCode() {
    return lastExitCode;
  }

  /** When a run of this process last ended with exit code 0, or {@code null}. */
  public Instant lastSucceeded() {
    return lastSucceeded;
  }
}
