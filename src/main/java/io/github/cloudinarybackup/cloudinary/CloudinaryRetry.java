package io.github.cloudinarybackup.cloudinary;

import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.run.RateLimitGate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the commands that call Cloudinary directly (restore, verify --remote): tries a call again
 * when Cloudinary is unavailable (doubling waits from one second) or says to wait (until the
 * instant its 420 names, at most {@link #LONGEST_WAIT}), up to a number of attempts; stops waiting
 * when the restore is stopping. Other failures pass through at once.
 */
public final class CloudinaryRetry {

  private static final Logger LOG = LoggerFactory.getLogger(CloudinaryRetry.class);
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(65);

  private final int attempts;
  private final BooleanSupplier stopping;

  public CloudinaryRetry(int attempts, BooleanSupplier stopping) {
    this.attempts = Math.max(1, attempts);
    this.stopping = stopping;
  }

  public <T> T call(String what, Callable<T> call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (CloudinaryUnavailableException | CloudinaryRateLimitException e) {
        if (attempt >= attempts || stopping.getAsBoolean()) {
          throw e;
        }
        Duration wait =
            e instanceof CloudinaryRateLimitException
                ? RateLimitGate.tryAgainOn(String.valueOf(e.getMessage()))
                    .map(at -> Duration.between(Instant.now(), at).plusSeconds(1))
                    .filter(d -> !d.isNegative() && d.compareTo(LONGEST_WAIT) < 0)
                    .orElse(Duration.ofSeconds(60))
                : Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
        LOG.warn(
            "{}: {}; trying again in {} s (attempt {} of {})",
            what,
            Messages.oneLine(e),
            wait.toSeconds(),
            attempt + 1,
            attempts);
        sleep(wait);
      }
    }
  }

  private void sleep(Duration wait) throws InterruptedException {
    long until = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < until && !stopping.getAsBoolean()) {
      Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
  }
}
