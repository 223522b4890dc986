package io.github.cloudinarybackup.run;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many downloads run at once. A number in {@code backup.concurrency} fixes it; {@code auto}
 * (the default) adapts it to what the downloads achieve, the way TCP adapts its window: while more
 * downloads in flight clearly raise the rate at which they complete (the job waits on latency), the
 * level doubles, then grows by a quarter; when more in flight did not help (the CPU, the link or
 * the server is the limit) it steps back and holds, probing upward again now and then; a server
 * that refuses (429, 503) halves it.
 */
public final class DownloadConcurrency implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadConcurrency.class);

  /** How often the rate is looked at. */
  private static final long TICK_MILLIS = 250;

  /** A measurement lasts at least this long, and covers at least one download per slot. */
  private static final long MIN_WINDOW_NANOS = 500_000_000L;

  private static final long MAX_WINDOW_NANOS = 4_000_000_000L;

  /** Measurements held at a level before probing above it again. */
  private static final int HOLD = 8;

  private final ThreadPoolExecutor pool;
  private final LongSupplier completed;
  private final boolean adaptive;
  private final int min;
  private final int max;
  private final ScheduledExecutorService ticker;

  private int level;
  private int previousLevel;
  private double previousRate = -1;
  private boolean lastWasIncrease;
  private int held;
  private long windowStart = System.nanoTime();
  private long windowCompleted;
  private boolean warmedUp;

  /**
   * @param pool the download threads, resized as the level changes
   * @param completed downloads completed so far (it may start again from 0: a new run)
   * @param adaptive whether to adapt, or keep {@code initial}
   */
  public DownloadConcurrency(
      ThreadPoolExecutor pool,
      LongSupplier completed,
      boolean adaptive,
      int initial,
      int min,
      int max) {
    this.pool = pool;
    this.completed = completed;
    this.adaptive = adaptive;
    this.min = min;
    this.max = max;
    this.level = initial;
    this.previousLevel = initial;
    resize(initial);
    this.windowCompleted = completed.getAsLong();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "download-concurrency");
              t.setDaemon(true);
              return t;
            });
    if (adaptive) {
      ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The downloads allowed in flight now. */
  public synchronized int level() {
    return level;
  }

  /** The server refused a download for load (429, 503): fewer at once. */
  public synchronized void serverRefused() {
    if (adaptive && level > min) {
      change(Math.max(min, level / 2), "the server refused a download for load");
      lastWasIncrease = false;
      held = 0;
      previousRate = -1;
    }
  }

  synchronized void tick() {
    long now = System.nanoTime();
    long done = completed.getAsLong();
    if (done < windowCompleted) {
      windowCompleted = done; // a new run began
      windowStart = now;
      return;
    }
    long count = done - windowCompleted;
    long elapsed = now - windowStart;
    if (elapsed < MIN_WINDOW_NANOS || count < level && elapsed < MAX_WINDOW_NANOS) {
      return;
    }
    windowStart = now;
    windowCompleted = done;
    if (count == 0) {
      previousRate = -1; // nothing downloading (listing, skipping): nothing to learn
      warmedUp = false;
      return;
    }
    if (!warmedUp) {
      warmedUp = true; // the downloads were starting during this window: it says too little
      return;
    }
    decide(count * 1e9 / elapsed);
  }

  /** One measurement of completions per second at the current level. */
  void decide(double rate) {
    if (previousRate < 0) {
      previousRate = rate;
      grow(2.0, rate);
      return;
    }
    double gain = rate / previousRate;
    if (lastWasIncrease) {
      if (gain >= 1.3) {
        grow(2.0, rate);
      } else if (gain >= 1.08) {
        grow(1.25, rate);
      } else {
        // more in flight did not help: back to where it was, and hold
        change(
            previousLevel,
            String.format(
                "%d at once did no better than %d (%.0f/s against %.0f/s)",
                level, previousLevel, rate, previousRate));
        lastWasIncrease = false;
        held = 0;
      }
      return;
    }
    if (gain < 0.7 && level > min) {
      // something changed for the worse at the same level: fewer at once
      previousLevel = level;
      previousRate = rate;
      change(Math.max(min, (int) (level * 0.75)), String.format("the rate fell to %.0f/s", rate));
      held = 0;
      return;
    }
    previousRate = Math.max(previousRate * 0.9, rate);
    if (++held >= HOLD) {
      held = 0;
      grow(1.25, rate);
    }
  }

  private void grow(double factor, double rate) {
    int next = Math.min(max, Math.max(level + 1, (int) Math.round(level * factor)));
    if (next == level) {
      lastWasIncrease = false;
      return;
    }
    previousLevel = level;
    previousRate = rate;
    lastWasIncrease = true;
    change(next, String.format("%.0f downloads/s at %d at once", rate, level));
  }

  private void change(int next, String why) {
    LOG.debug("download concurrency {} -> {}: {}", level, next, why);
    level = next;
    resize(next);
  }

  private void resize(int size) {
    if (size > pool.getMaximumPoolSize()) {
      pool.setMaximumPoolSize(size);
      pool.setCorePoolSize(size);
    } else {
      pool.setCorePoolSize(size);
      pool.setMaximumPoolSize(size);
    }
  }

  @Override
  public void start() {
    // ticking since it was made
  }

  @Override
  public void stop() {
    ticker.shutdownNow();
  }
}
