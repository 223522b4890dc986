package io.github.cloudinarybackup.download;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downloads under way, each with a deadline for the whole attempt: a server that trickles, or
 * sends less than it announced and then goes quiet, holds a download only until then (a read that
 * waits longer than the silence timeout fails by itself). A stopping run waits here for the
 * downloads to finish, then cuts off the rest.
 */
public final class DownloadsInFlight {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadsInFlight.class);

  /** The size assumed for an original whose size was not listed, for its deadline. */
  private static final long UNKNOWN_SIZE = 1L << 30;

  private final AbortableConnections connections;
  private final long silenceMillis;
  private final long minBytesPerSecond;
  private final Set<Download> inFlight = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor deadlines;

  /**
   * @param silenceMillis how long a download may wait for its answer or for its next bytes
   * @param minBytesPerSecond the slowest transfer a download may take, once answered
   */
  public DownloadsInFlight(
      AbortableConnections connections, long silenceMillis, long minBytesPerSecond) {
    this.connections = connections;
    this.silenceMillis = silenceMillis;
    this.minBytesPerSecond = minBytesPerSecond;
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("download-deadlines");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
  }

  /**
   * How long one attempt at an original of {@code bytes} may take in all: the silence allowed
   * before the answer, plus its size at the slowest transfer allowed.
   */
  public Duration deadlineFor(long bytes) {
    long size = bytes > 0 ? bytes : UNKNOWN_SIZE;
    return Duration.ofMillis(silenceMillis + Math.max(1, size * 1000 / minBytesPerSecond));
  }

  /** An attempt begins on this thread; it is cut short if it is still under way at its deadline. */
  public Download start(String name, long bytes) {
    Download download = new Download(name, Thread.currentThread(), connections);
    inFlight.add(download);
    Duration limit = deadlineFor(bytes);
    download.deadline(
        deadlines.schedule(
            () -> {
              LOG.debug(
                  "{}: no complete download after {} s, cutting it short", name, limit.toSeconds());
              download.abort(
                  "the download took longer than "
                      + limit.toSeconds()
                      + " s (deadline; a very slow or stuck server)");
            },
            limit.toMillis(),
            TimeUnit.MILLISECONDS));
    return download;
  }

  /** The attempt is over (its partial file, if it failed, is already gone: see OriginalFiles). */
  public void end(Download download) {
    download.ended();
    inFlight.remove(download);
    synchronized (this) {
      notifyAll();
    }
  }

  /** How many downloads are under way. */
  public int count() {
    return inFlight.size();
  }

  /**
   * Waits until no download is under way, at most {@code timeout}.
   *
   * @return how many are still under way
   */
  public synchronized int awaitIdle(Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos();
        !inFlight.isEmpty() && left > 0;
        left = until - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return inFlight.size();
  }

  /** Cuts every download under way short, for {@code reason}. */
  public int abortAll(String reason) {
    int n = 0;
    for (Download download : inFlight) {
      download.abort(reason);
      n++;
    }
    return n;
  }
}
