package io.github.cloudinarybackup.run;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line logged at a steady interval while a run is under way: what was listed and done,
 * bytes and rates, failures, rate-limit waits, and an ETA when the size of the account is known
 * from an earlier run.
 */
public final class RunProgress {

  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

  private final BackupSession session;

  public RunProgress(BackupSession session) {
    this.session = session;
  }

  /** Logs one progress line, if a run is under way. */
  public void report() {
    if (!session.running()) {
      return;
    }
    LOG.info(line(session.statistics(), session.expectedAssets()));
  }

  static String line(RunStatistics s, long expected) {
    double seconds = Math.max(0.001, s.elapsedSeconds());
    long done = s.done();
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Progress: listed %,d, done %,d (downloaded %,d, %,.1f MB at %,.1f MB/s, %,.0f assets/s), failed %,d,"
                    + " rate-limit pauses %,d (%,.0f s)",
                s.listed.get(),
                done,
                s.downloaded.get(),
                s.bytes.get() / 1e6,
                s.bytes.get() / 1e6 / seconds,
                done / seconds,
                s.failed.get(),
                s.rateLimitWaits.get(),
                s.rateLimitWaitMillis.get() / 1e3));
    if (expected > done && done > 0) {
      long eta = Math.round((expected - done) / (done / seconds));
      line.append(String.format(Locale.ROOT, ", about %d:%02d left", eta / 60, eta % 60));
    }
    return line.toString();
  }
}
