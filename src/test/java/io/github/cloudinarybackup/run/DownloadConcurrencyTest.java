package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The level follows the measured rate: up while it pays, back when it does not, halved on refusals.
 */
class DownloadConcurrencyTest {

  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(8, 8, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  private final DownloadConcurrency concurrency =
      new DownloadConcurrency(pool, () -> 0, true, 8, 4, 64);

  @AfterEach
  void stop() {
    concurrency.stop();
    pool.shutdownNow();
  }

  /**
   * Completions per second for a job that waits on latency: the rate grows with the level, up to a
   * ceiling.
   */
  private static double latencyBound(int level, double ceiling) {
    return Math.min(ceiling, level * 25.0); // 40 ms a download
  }

  @Test
  void aLatencyBoundJobClimbsUntilMoreNoLongerHelpsThenHoldsThere() {
    for (int window = 0; window < 12; window++) {
      concurrency.decide(latencyBound(concurrency.level(), 1000));
    }
    // 25/s per slot, 1,000/s at most: 40 at once reach it; the climb stops at the first level that
    // does
    int level = concurrency.level();
    assertEquals(true, level >= 40 && level <= 64, "settled at " + level);
    assertEquals(level, pool.getCorePoolSize());
    assertEquals(level, pool.getMaximumPoolSize());
  }

  @Test
  void aCpuBoundJobStepsBackToTheLevelThatDidAsWell() {
    concurrency.decide(800);
    assertEquals(16, concurrency.level(), "the first look doubles");
    concurrency.decide(810); // no better
    assertEquals(8, concurrency.level(), "back where it did as well");
    for (int window = 0; window < 7; window++) {
      concurrency.decide(800);
      assertEquals(8, concurrency.level(), "holds");
    }
    concurrency.decide(800);
    assertEquals(10, concurrency.level(), "then probes a quarter higher");
    concurrency.decide(805);
    assertEquals(8, concurrency.level(), "which did not pay");
  }

  @Test
  void aServerThatRefusesHalvesIt() {
    concurrency.decide(100);
    assertEquals(16, concurrency.level());
    concurrency.serverRefused();
    assertEquals(8, concurrency.level());
    concurrency.serverRefused();
    concurrency.serverRefused();
    assertEquals(4, concurrency.level(), "never below the minimum");
  }
}
