package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.download.DownloadsInFlight;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What Ctrl-C (SIGINT), SIGTERM (Kubernetes, systemd, {@code docker stop}) and SIGHUP do: the run
 * stops listing at once and starts no new download; the downloads under way get {@code
 * backup.shutdown-timeout} to finish, and the rest are cut off and their temporary files removed;
 * the catalog is committed (the cursor of every page fully done is in it) and closed; then the
 * process ends with 128 + the signal's number (130, 143, 129). The next run resumes and downloads
 * again at most what was cut off. Between two scheduled runs, or before a run has begun, the
 * process ends at once (with 0 between runs). A second signal ends it at once: the catalog's
 * commits are whole whenever the process dies, so that loses at most the work since the last
 * commit.
 *
 * <p>The JVM's own reaction to these signals would run every shutdown hook at once, closing things
 * under the downloads still using them; handling the signal instead keeps the order above.
 */
public final class GracefulStop {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  /** How long cut-off downloads get to unwind (their temporary files are removed either way). */
  private static final Duration UNWIND = Duration.ofSeconds(2);

  /** Past the timeout and this, the process ends whatever is still going on. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  /** What an attached task's work under way (a restore's uploads) gets to finish. */
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream err;
  private final IntConsumer halt;
  private final AtomicInteger signals = new AtomicInteger();
  private volatile BackupSession session;
  private volatile DownloadsInFlight downloads;
  private volatile StoppableTask task;

  /**
   * @param halt ends the process with an exit code (Runtime.halt: the shutdown hooks have nothing
   *     left to do, and some would undo the order kept here)
   */
  public GracefulStop(PrintStream err, IntConsumer halt) {
    this.err = err;
    this.halt = halt;
  }

  /**
   * Handles SIGINT, SIGTERM and SIGHUP from now on.
   *
   * @return false if this JVM does not let a program handle them (e.g. {@code -Xrs}); they then end
   *     the process the JVM's way, which a rerun resumes from like a kill
   */
  public boolean install() {
    try {
      for (String name : new String[] {"INT", "TERM", "HUP"}) {
        Signal.handle(
            new Signal(name),
            signal -> received("SIG" + signal.getName(), 128 + signal.getNumber()));
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.debug("cannot handle signals: {}", e.getMessage());
      return false;
    }
  }

  /** The run's state and its downloads, once the beans exist. */
  public void attach(BackupSession backupSession, DownloadsInFlight inFlight) {
    this.session = backupSession;
    this.downloads = inFlight;
  }

  /** Another command (a restore) to stop in order instead of a backup run. */
  public void attach(StoppableTask stoppable) {
    this.task = stoppable;
  }

  /** A signal arrived (on a thread of its own, which may wait). */
  void received(String signal, int code) {
    if (signals.getAndIncrement() > 0) {
      err.println(
          "cloudinary-backup: "
              + signal
              + " again: stopping at once (a rerun resumes from the last commit)");
      end(code);
      return;
    }
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(timeout().plus(GRACE).toMillis());
              } catch (InterruptedException e) {
                return;
              }
              err.println(
                  "cloudinary-backup: "
                      + signal
                      + ": the stop took too long; ending now (a rerun resumes from the last commit)");
              end(code);
            },
            "graceful-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int exitCode = code;
    try {
      exitCode = stop(signal, code);
    } catch (RuntimeException e) {
      err.println(
          "cloudinary-backup: "
              + signal
              + ": "
              + io.github.cloudinarybackup.Messages.oneLine(e)
              + " (a rerun resumes from the last commit)");
    }
    end(exitCode);
  }

  private Duration timeout() {
    BackupSession s = session;
    if (s == null) {
      return task == null ? Duration.ZERO : TASK_TIMEOUT;
    }
    return s.config().shutdownTimeout();
  }

  /** Stops what is under way, as described above. @return the exit code */
  int stop(String signal, int code) {
    StoppableTask other = task;
    if (other != null) {
      return other.stop(signal, code, timeout());
    }
    BackupSession s = session;
    if (s == null) {
      return code; // still starting: nothing was written
    }
    boolean daemon = !s.config().schedule().isEmpty();
    RunStoppedException reason = RunStoppedException.bySignal(signal, code);
    if (!s.requestStop(reason)) {
      // the run got to its end (or is writing its manifest): it finishes, and its exit code stands
      int ended = awaitTheEnd(s, code);
      return daemon ? ExitCode.OK : ended;
    }
    if (!s.running()) {
      // not begun yet (nothing written), or a daemon between two runs, which ends cleanly
      closeCatalog(s);
      return daemon ? ExitCode.OK : code;
    }
    DownloadsInFlight inFlight = downloads;
    int under = inFlight == null ? 0 : inFlight.count();
    int cut = 0;
    err.printf(
        "cloudinary-backup: %s: stopping; no new downloads, %d under way get up to %d s to finish"
            + " (%s again to stop at once)%n",
        signal, under, timeout().toSeconds(), signal);
    if (inFlight != null) {
      try {
        if (inFlight.awaitIdle(timeout()) > 0) {
          cut = inFlight.abortAll("the run was interrupted by " + signal);
          inFlight.awaitIdle(UNWIND); // each removes its partial file as it unwinds
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean saved = closeCatalog(s);
    // a download thread slow to unwind may still be writing, or about to: nothing new is created,
    // and
    // every partial file left is removed
    s.folder().closeForWriting();
    err.printf(
        "cloudinary-backup: interrupted by %s: %d of the %d downloads under way finished, %d cut off;"
            + " %s. Run the same command again to resume.%n",
        signal,
        under - cut,
        under,
        cut,
        saved ? "the catalog is saved" : "the catalog keeps its last commit");
    return code;
  }

  /** The run was already writing its manifest and summary: it gets the timeout to finish them. */
  private int awaitTheEnd(BackupSession s, int code) {
    long until = System.nanoTime() + timeout().toNanos();
    while (!s.outcome().settled() && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return s.outcome().settled() ? s.outcome().exitCode() : code;
  }

  /** Commits and closes the catalog if it is open; false if that failed. */
  private boolean closeCatalog(BackupSession s) {
    Catalog catalog = s.catalog();
    if (catalog == null) {
      return true;
    }
    try {
      catalog.close();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("could not commit the catalog while stopping: {}", e.getMessage());
      return false;
    }
  }

  private void end(int code) {
    err.flush();
    System.out.flush();
    halt.accept(code);
  }
}
