package io.github.cloudinarybackup.run;

import java.util.concurrent.atomic.AtomicLong;

/** What this process did during the run, for the progress lines and the summary. */
public final class RunStatistics {

  public final AtomicLong pages = new AtomicLong();
  public final AtomicLong listed = new AtomicLong();
  public final AtomicLong downloaded = new AtomicLong();
  public final AtomicLong unchanged = new AtomicLong();
  public final AtomicLong noOriginal = new AtomicLong();
  public final AtomicLong failed = new AtomicLong();
  public final AtomicLong bytes = new AtomicLong();
  private volatile long startedNanos = System.nanoTime();

  public void start() {
    startedNanos = System.nanoTime();
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
