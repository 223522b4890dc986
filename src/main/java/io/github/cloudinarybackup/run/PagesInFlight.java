package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.run.ResourceListing.PageEnd;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off between the listing and the downloads. A listed page is backed up while the next
 * pages are listed, also across resource types, so the download pool never drains at a page
 * boundary; but at most {@link #limit} pages are in flight (the listing waits), which keeps memory
 * flat however large the account. Pages may finish out of order; each listing's cursor is saved in
 * listing order, so a saved cursor never passes an asset that is not done (nor, once a page was
 * left incomplete by a stopping run, any page after it). The first failure of a page stops the
 * listing and is raised to the run.
 */
public final class PagesInFlight {

  private static final Logger LOG = LoggerFactory.getLogger(PagesInFlight.class);

  private final BackupSession session;
  private final int limit;
  private int inFlight;
  private Exception failure;

  /**
   * Per listing: the pages done but not yet saved, by sequence, and the next sequence to save.
   * Guarded by {@link #saving}, not by this object: saving a cursor commits the catalog, and the
   * listing's hand-off must not wait for that.
   */
  private final Object saving = new Object();

  private final Map<String, TreeMap<Integer, PageEnd>> doneOutOfOrder = new HashMap<>();
  private final Map<String, Integer> nextToSave = new HashMap<>();

  public PagesInFlight(BackupSession session, int limit) {
    this.session = session;
    this.limit = limit;
  }

  /** A new run: nothing in flight. */
  synchronized void reset() {
    inFlight = 0;
    failure = null;
    synchronized (saving) {
      doneOutOfOrder.clear();
      nextToSave.clear();
    }
  }

  /**
   * Whether {@link #handOff} would wait now: {@link #limit} pages are still being backed up, and
   * the listing has time for other Admin calls.
   */
  public synchronized boolean full() {
    return inFlight >= limit && failure == null;
  }

  /** The listing hands a page over: waits while {@link #limit} pages are still being backed up. */
  public synchronized void handOff() throws Exception {
    while (full() && session.stopping() == null) {
      wait(1000); // a stop request does not notify: look again now and then
    }
    if (failure != null) {
      throw failure;
    }
    session.requireNotStopping();
    inFlight++;
  }

  /** Every asset of the page is done (backed up, skipped or recorded as failed). */
  public void done(Exchange exchange) {
    PageEnd end = exchange.getProperty(BackupConstants.PAGE_END, PageEnd.class);
    try {
      // a page with an asset left for the next run (the run is stopping) is listed again next time
      if (end != null && end.complete() && !session.config().dryRun()) {
        synchronized (saving) {
          saveInOrder(end);
        }
      }
    } finally {
      synchronized (this) {
        inFlight--;
        notifyAll();
      }
    }
  }

  /** The page could not be finished: the run must stop; the pages still in flight finish first. */
  public synchronized void failed(Exchange exchange) {
    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    if (failure == null) {
      failure = cause != null ? cause : new IllegalStateException("a page could not be backed up");
    }
    LOG.debug("a page failed", cause);
    inFlight--;
    notifyAll();
  }

  /** Waits for every page handed over; raises the first failure. */
  public synchronized void awaitAll() throws Exception {
    waitForAll();
    if (failure != null) {
      throw failure;
    }
  }

  /** The run is stopping: lets the pages in flight finish before the catalog closes under them. */
  public synchronized void awaitQuietly() {
    try {
      waitForAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitForAll() throws InterruptedException {
    while (inFlight > 0) {
      wait();
    }
  }

  private void saveInOrder(PageEnd end) {
    TreeMap<Integer, PageEnd> waiting =
        doneOutOfOrder.computeIfAbsent(end.listing(), k -> new TreeMap<>());
    waiting.put(end.sequence(), end);
    int next = nextToSave.getOrDefault(end.listing(), 0);
    while (waiting.containsKey(next)) {
      PageEnd page = waiting.remove(next);
      session.catalog().saveCursor(page.listing(), page.nextCursor());
      next++;
    }
    nextToSave.put(end.listing(), next);
  }
}
