package io.github.cloudinarybackup.catalog;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the catalog-writer thread commit once a quarter second has passed or 64 completions were
 * reported since the last commit: completions are batched, and a crash forgets at most that much
 * work, which the next run redoes. The download threads never wait on MapDB.
 */
final class CommitScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(CommitScheduler.class);

  private static final long COMMIT_INTERVAL_NANOS = 250_000_000L;

  /**
   * ... or after this many completions, whichever comes first: a crash loses little at any speed.
   */
  private static final int COMMIT_EVERY = 64;

  private final Runnable commit;

  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "catalog-writer");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean commitQueued = new AtomicBoolean();

  /** Completions reported since the last commit began. */
  private final AtomicInteger sinceCommit = new AtomicInteger();

  private volatile long lastCommit = System.nanoTime();

  /**
   * @param commit the catalog's commit; a {@link CatalogClosedException} from it means the close
   *     committed
   */
  CommitScheduler(Runnable commit) {
    this.commit = commit;
  }

  /** A completion was reported: commits on the writer thread if one is due. */
  void completed() {
    boolean due =
        sinceCommit.incrementAndGet() >= COMMIT_EVERY
            || System.nanoTime() - lastCommit > COMMIT_INTERVAL_NANOS;
    if (due && commitQueued.compareAndSet(false, true)) {
      try {
        writer.execute(
            () -> {
              try {
                commit.run();
              } catch (CatalogClosedException e) {
                // closed meanwhile: its close committed
              } catch (RuntimeException e) {
                // the next commit (every page's cursor commits) reports it to the run
                LOG.warn("catalog commit failed: {}", e.getMessage());
              } finally {
                commitQueued.set(false);
              }
            });
      } catch (RejectedExecutionException closing) {
        commitQueued.set(false); // the catalog is closing: its close commits
      }
    }
  }

  /** A commit begins: the completions counted so far are in it. */
  void commitBegins() {
    sinceCommit.set(0);
  }

  /** A commit ended. */
  void committed() {
    lastCommit = System.nanoTime();
  }

  /** Lets a queued commit finish; a commit waiting for the catalog would find it closed. */
  void stop() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
