package io.github.cloudinarybackup.run;

import java.util.concurrent.atomic.AtomicLong;

/** What this process did during the run, for the progress lines and the summary. */
public final class RunStatistics {

  public final AtomicLong pages = new AtomicLong();
  public final AtomicLong listed = new AtomicLong();
  public final AtomicLong downloaded = new AtomicLong();
  public final AtomicLong unchanged = new AtomicLong();

  /** Of the unchanged, those whose file moved to the place a new layout or folder mode gives it. */
  public final AtomicLong moved = new AtomicLong();

  public final AtomicLong noOriginal = new AtomicLong();
  public final AtomicLong failed = new AtomicLong();

  /** Assets this run found gone from the account. */
  public final AtomicLong deleted = new AtomicLong();

  public final AtomicLong bytes = new AtomicLong();

  /** Admin calls Cloudinary refused for the rate limit (420/429). */
  public final AtomicLong rateLimited = new AtomicLong();

  /** Pauses before Admin calls, and their total length. */
  public final AtomicLong rateLimitWaits = new AtomicLong();

  public final AtomicLong rateLimitWaitMillis = new AtomicLong();
  private volatile long startedNanos = System.nanoTime();

  public void start() {
    startedNanos = System.nanoTime();
  }

  /**
   * Assets finished one way or another: downloaded, already backed up, without original, failed.
   */
  public long done() {
    return downloaded.get() + unchanged.get() + noOriginal.get() + failed.get();
  }

  /** Adds every counter of {@code run} to this one. */
  void accumulate(RunStatistics run) {
    pages.addAndGet(run.pages.get());
    listed.addAndGet(run.listed.get());
    downloaded.addAndGet(run.downloaded.get());
    unchanged.addAndGet(run.unchanged.get());
    noOriginal.addAndGet(run.noOriginal.get());
    failed.addAndGet(run.failed.get());
    deleted.addAndGet(run.deleted.get());
    bytes.addAndGet(run.bytes.get());
    rateLimited.addAndGet(run.rateLimited.get());
    rateLimitWaits.addAndGet(run.rateLimitWaits.get());
    rateLimitWaitMillis.addAndGet(run.rateLimitWaitMillis.get());
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
