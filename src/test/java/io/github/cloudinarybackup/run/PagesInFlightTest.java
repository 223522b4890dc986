package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.run.ResourceListing.PageEnd;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-off between the listing and the downloads ({@link PagesInFlight}), against a real
 * catalog file: at most {@code limit} pages in flight, each listing's cursors saved in listing
 * order however the pages finish, a page with an asset left holding back every cursor after it, the
 * first failure raised, and a stopping run never left waiting. Every test that waits for another
 * thread has a timeout, so a broken hand-off fails instead of hanging the build; none measures
 * time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PagesInFlightTest {

  private static final CamelContext CAMEL = new DefaultCamelContext();

  @TempDir Path tmp;
  private Catalog catalog;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void close() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    if (catalog != null && !catalog.isClosed()) {
      catalog.close();
    }
  }

  private BackupSession session(String... settings) throws IOException {
    Map<String, String> values = new HashMap<>(Map.of("backup.dir", tmp.resolve("b").toString()));
    for (int i = 0; i + 1 < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    BackupSession session =
        new BackupSession(
            BackupConfiguration.load(key -> Optional.ofNullable(values.get(key)), Map.of()),
            null,
            new RunOutcome());
    if (catalog == null) {
      catalog = Catalog.open(tmp.resolve("catalog.db"));
    }
    session.attach(catalog);
    session.start(catalog.startRun(Instant.now()));
    return session;
  }

  private static Exchange pageDone(PageEnd end) {
    Exchange exchange = new DefaultExchange(CAMEL);
    exchange.setProperty(BackupConstants.PAGE_END, end);
    return exchange;
  }

  private static Exchange pageFailed(Exception cause) {
    Exchange exchange = new DefaultExchange(CAMEL);
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
    return exchange;
  }

  /**
   * Page {@code sequence} of {@code listing}; the last page ({@code of - 1}) has no next cursor.
   */
  private static PageEnd page(String listing, int sequence, int of) {
    return new PageEnd(
        listing, sequence, sequence == of - 1 ? null : listing + "-after-" + sequence);
  }

  /** Waits until the thread runs {@code method} blocked in Object.wait. */
  private static void awaitWaitingIn(Thread thread, String method) throws InterruptedException {
    while (!(thread.getState() == Thread.State.WAITING
            || thread.getState() == Thread.State.TIMED_WAITING)
        || java.util.Arrays.stream(thread.getStackTrace())
            .noneMatch(frame -> frame.getMethodName().equals(method))) {
      assertTrue(thread.isAlive(), "the thread ended instead of waiting in " + method);
      Thread.sleep(5);
    }
  }

  /** A call made on a thread of its own, returned once it waits (in {@code method}). */
  private static Running<Boolean> waiting(String method, Callable<?> call)
      throws InterruptedException {
    Running<Boolean> running =
        new Running<>(
            () -> {
              call.call();
              return true;
            });
    running.thread.start();
    awaitWaitingIn(running.thread, method);
    return running;
  }

  /** {@code pages.handOff()}, waiting. */
  private static Running<Boolean> waitingHandOff(PagesInFlight pages) throws InterruptedException {
    return waiting(
        "handOff",
        () -> {
          pages.handOff();
          return null;
        });
  }

  private static final class Running<T> {
    private final java.util.concurrent.FutureTask<T> outcome;
    private final Thread thread;

    Running(Callable<T> task) {
      outcome = new java.util.concurrent.FutureTask<>(task);
      thread = new Thread(outcome, "pages-in-flight-test");
      thread.setDaemon(true);
    }

    boolean isDone() {
      return outcome.isDone();
    }

    T get() throws Exception {
      return outcome.get();
    }
  }

  @Test
  void theListingWaitsWhileTheLimitOfPagesIsInFlight() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 2);
    pages.handOff();
    pages.handOff();
    Running<Boolean> third = waitingHandOff(pages);
    assertFalse(third.isDone(), "a third page waits while two are in flight");
    pages.done(pageDone(page("image", 0, 3)));
    assertTrue(third.get(), "one page done: the third goes");
  }

  /** What the listing asks before it hands a page over: would it wait (time for other calls)? */
  @Test
  void fullSaysWhetherTheHandOffWouldWait() throws Exception {
    PagesInFlight pages = new PagesInFlight(session(), 2);
    assertFalse(pages.full());
    pages.handOff();
    assertFalse(pages.full(), "one of two in flight");
    pages.handOff();
    assertTrue(pages.full(), "two of two in flight");
    pages.done(pageDone(page("image", 0, 2)));
    assertFalse(pages.full(), "one done");
    pages.handOff();
    pages.failed(pageFailed(new IllegalStateException("a page failed")));
    assertFalse(pages.full(), "a failure: the hand-off raises it at once, without waiting");
  }

  @Test
  void cursorsAreSavedInListingOrderWhenPagesFinishOutOfOrder() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 3);
    for (int i = 0; i < 3; i++) {
      pages.handOff();
    }
    pages.done(pageDone(page("image", 2, 3)));
    assertEquals(Optional.empty(), catalog.cursor("image"), "pages 0 and 1 are not done");
    assertFalse(catalog.listingComplete("image"));
    pages.done(pageDone(page("image", 0, 3)));
    assertEquals(Optional.of("image-after-0"), catalog.cursor("image"), "page 0 done, not 1");
    pages.done(pageDone(page("image", 1, 3)));
    assertTrue(catalog.listingComplete("image"), "1 done: 1 and 2 saved, in order");
    assertEquals(Optional.empty(), catalog.cursor("image"));
    pages.awaitAll();

    catalog.close();
    try (Catalog reopened = Catalog.open(tmp.resolve("catalog.db"))) {
      assertTrue(reopened.listingComplete("image"), "saved in the file, committed");
    }
  }

  @Test
  void aPageWithAnAssetLeftHoldsBackEveryCursorAfterIt() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 4);
    List<PageEnd> ends = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pages.handOff();
      ends.add(page("video", i, 4));
    }
    pages.done(pageDone(ends.get(0)));
    ends.get(1).leaveAsset(); // the run stopped before one of its assets
    for (int i : new int[] {3, 1, 2}) {
      pages.done(pageDone(ends.get(i)));
    }
    pages.awaitAll();
    assertEquals(
        Optional.of("video-after-0"),
        catalog.cursor("video"),
        "the next run lists page 1 again, and every page after it");
    assertFalse(catalog.listingComplete("video"));
  }

  @Test
  void eachListingHasItsOwnOrder() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 4);
    for (int i = 0; i < 4; i++) {
      pages.handOff();
    }
    pages.done(pageDone(page("raw", 1, 2)));
    pages.done(pageDone(page("image", 0, 2)));
    assertEquals(Optional.of("image-after-0"), catalog.cursor("image"));
    assertEquals(Optional.empty(), catalog.cursor("raw"), "raw's page 0 is not done");
    pages.done(pageDone(page("raw", 0, 2)));
    assertTrue(catalog.listingComplete("raw"));
    assertFalse(catalog.listingComplete("image"));
  }

  @Test
  void aSeededRandomOrderSavesEveryCursorInListingOrder() throws Exception {
    long seed = Long.getLong("test.seed", System.nanoTime());
    System.out.println("PagesInFlightTest seed " + seed + " (rerun with -Dtest.seed=" + seed + ")");
    Random random = new Random(seed);
    BackupSession session = session();
    int perListing = 30;
    List<String> listings = List.of("image", "video", "raw");
    PagesInFlight pages = new PagesInFlight(session, perListing * listings.size());
    List<PageEnd> order = new ArrayList<>();
    for (String listing : listings) {
      for (int i = 0; i < perListing; i++) {
        pages.handOff();
        order.add(page(listing, i, perListing));
      }
    }
    Collections.shuffle(order, random);
    Map<String, boolean[]> done = new HashMap<>();
    for (PageEnd end : order) {
      pages.done(pageDone(end));
      boolean[] pagesDone = done.computeIfAbsent(end.listing(), k -> new boolean[perListing]);
      pagesDone[end.sequence()] = true;
      int contiguous = 0;
      while (contiguous < perListing && pagesDone[contiguous]) {
        contiguous++;
      }
      String listing = end.listing();
      if (contiguous == perListing) {
        assertTrue(catalog.listingComplete(listing), listing + " complete, seed " + seed);
      } else {
        Optional<String> expected =
            contiguous == 0
                ? Optional.empty()
                : Optional.of(listing + "-after-" + (contiguous - 1));
        assertEquals(expected, catalog.cursor(listing), listing + ", seed " + seed);
      }
    }
    pages.awaitAll();
  }

  @Test
  void pagesDoneOnManyThreadsAtOnceEndWithEveryListingComplete() throws Exception {
    long seed = Long.getLong("test.seed", System.nanoTime());
    System.out.println("PagesInFlightTest seed " + seed + " (rerun with -Dtest.seed=" + seed + ")");
    BackupSession session = session();
    int perListing = 50;
    List<String> listings = List.of("image", "video");
    PagesInFlight pages = new PagesInFlight(session, 8);
    List<PageEnd> ends = new ArrayList<>();
    for (String listing : listings) {
      for (int i = 0; i < perListing; i++) {
        ends.add(page(listing, i, perListing));
      }
    }
    Collections.shuffle(ends, new Random(seed));
    List<Future<?>> workers = new ArrayList<>();
    for (PageEnd end : ends) {
      pages.handOff(); // the limit holds: 8 in flight at most
      workers.add(threads.submit(() -> pages.done(pageDone(end))));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pages.awaitAll();
    for (String listing : listings) {
      assertTrue(catalog.listingComplete(listing), listing + ", seed " + seed);
    }
  }

  @Test
  void theFirstFailureStopsTheHandOffAndIsRaisedOnceThePagesInFlightAreDone() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 2);
    pages.handOff();
    pages.handOff();
    Running<Boolean> waiting = waitingHandOff(pages);
    IOException first = new IOException("the catalog's disk went away");
    pages.failed(pageFailed(first));
    Exception raised = assertThrows(Exception.class, waiting::get);
    assertSame(first, raised.getCause(), "the listing stops with the page's failure");

    Running<Boolean> all =
        waiting(
            "waitForAll",
            () -> {
              pages.awaitAll();
              return null;
            });
    assertFalse(all.isDone(), "the other page is still in flight");
    pages.failed(pageFailed(new IOException("a second failure")));
    Exception end = assertThrows(Exception.class, all::get);
    assertSame(first, end.getCause(), "the first failure is the one the run reports");
  }

  @Test
  void aStopRequestReleasesTheListingWaitingToHandAPageOff() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 1);
    pages.handOff();
    Running<Boolean> waiting = waitingHandOff(pages);
    RunStoppedException stop = new RunStoppedException("SIGTERM", ExitCode.ABORTED);
    session.requestStop(stop);
    Exception raised = assertThrows(Exception.class, waiting::get);
    assertSame(stop, raised.getCause(), "no more pages once the run is stopping");
  }

  @Test
  void awaitQuietlyReturnsOnceThePagesInFlightAreDone() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 2);
    pages.handOff();
    pages.handOff();
    Running<Boolean> quiet =
        waiting(
            "waitForAll",
            () -> {
              pages.awaitQuietly();
              return null;
            });
    pages.done(pageDone(page("image", 1, 2)));
    assertFalse(quiet.isDone(), "one page still in flight");
    awaitWaitingIn(quiet.thread, "waitForAll");
    pages.failed(pageFailed(new IOException("cut off")));
    assertTrue(quiet.get(), "no failure raised: the run is stopping anyway");
  }

  @Test
  void aDryRunSavesNoCursor() throws Exception {
    BackupSession session = session("backup.dry-run", "true");
    PagesInFlight pages = new PagesInFlight(session, 2);
    pages.handOff();
    pages.done(pageDone(page("image", 0, 2)));
    pages.awaitAll();
    assertEquals(Optional.empty(), catalog.cursor("image"));
  }

  @Test
  void aNewRunForgetsThePagesOfTheRunBefore() throws Exception {
    BackupSession session = session();
    PagesInFlight pages = new PagesInFlight(session, 2);
    pages.handOff();
    pages.handOff();
    pages.failed(pageFailed(new IOException("the run before failed"))); // page 0
    pages.done(pageDone(page("image", 1, 3))); // done, waiting for page 0, which never came
    assertThrows(IOException.class, pages::awaitAll);

    pages.reset();
    pages.handOff(); // the failure of the run before is forgotten
    pages.done(pageDone(page("image", 0, 3)));
    pages.awaitAll();
    assertEquals(
        Optional.of("image-after-0"),
        catalog.cursor("image"),
        "page 1 of the run before is not saved as this run's");
  }
}
