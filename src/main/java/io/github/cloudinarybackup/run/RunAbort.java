package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.config.ConfigurationException;

/**
 * What a run that cannot go on tells the user and exits with, decided from the failure behind it.
 *
 * @param exitCode the process's exit code
 * @param line the one line for the error stream, or null when something else said it already (a
 *     signal, which {@link GracefulStop} reports once)
 * @param catalogDamaged whether the catalog is damaged: it is then closed without another write
 */
public record RunAbort(int exitCode, String line, boolean catalogDamaged) {

  private static final String PREFIX = "cloudinary-backup: ";

  /**
   * @param cause what stopped the run
   * @param started whether the run had started (the account was checked and the catalog opened)
   */
  public static RunAbort of(Throwable cause, boolean started) {
    String message = Messages.oneLine(cause);
    CatalogUnusableException damage = catalogDamage(cause);
    OutOfMemoryError outOfMemory = outOfMemory(cause);
    RunStoppedException stop = RunStoppedException.behind(cause);
    if (cause instanceof ConfigurationException) {
      return new RunAbort(ExitCode.CONFIGURATION, PREFIX + message, false);
    }
    if (damage != null) {
      // the same run would fail on the same records again: the next one sets it aside and
      // rebuilds it
      return new RunAbort(
          ExitCode.ABORTED,
          PREFIX
              + damage.getMessage()
              + "; run the same command again: it keeps the damaged"
              + " catalog aside and rebuilds it from manifest.jsonl and the files on disk",
          true);
    }
    if (outOfMemory != null) {
      return new RunAbort(ExitCode.ABORTED, PREFIX + Messages.outOfMemory(outOfMemory), false);
    }
    if (stop != null) {
      return new RunAbort(
          stop.exitCode(), stop.signalled() ? null : PREFIX + stop.getMessage(), false);
    }
    if (!started) {
      // the account could not even be checked: unreachable host, an API that answers nonsense
      return new RunAbort(ExitCode.CONFIGURATION, PREFIX + message, false);
    }
    return new RunAbort(
        ExitCode.ABORTED,
        PREFIX
            + "the backup stopped: "
            + message
            + " (the catalog is intact; run the same command again to resume)",
        false);
  }

  /** The memory that ran out behind a failure, if that is what it was. */
  private static OutOfMemoryError outOfMemory(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  /** The damaged catalog behind a failure, if that is what it was. */
  private static CatalogUnusableException catalogDamage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CatalogUnusableException unusable && unusable.damaged()) {
        return unusable;
      }
    }
    return null;
  }
}
