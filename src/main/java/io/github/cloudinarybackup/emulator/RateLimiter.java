package io.github.cloudinarybackup.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Admin API budget: {@code limit} calls per fixed window aligned to epoch multiples of the
 * window (Cloudinary's hourly budget resets on the hour). Calls refused for exceeding the budget do
 * not consume it. All settings can be changed while the emulator runs.
 */
public final class RateLimiter {

  private static final DateTimeFormatter MESSAGE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private Clock clock;
  private int limit = 500;
  private long windowSeconds = 3600;
  private int status = 420;
  private boolean messageWithoutTimestamp;
  private long currentWindowStart = Long.MIN_VALUE;
  private int used;

  public RateLimiter() {
    this(Clock.systemUTC());
  }

  RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /**
   * The clock that places calls in windows (a fixed one makes a test independent of when it runs:
   * no window ends during it); starts a fresh budget.
   */
  public synchronized RateLimiter clock(Clock clock) {
    this.clock = clock;
    reset();
    return this;
  }

  /** The outcome of one Admin call against the budget, with what the rate-limit headers report. */
  public record Decision(boolean allowed, int limit, int remaining, Instant resetAt) {}

  public synchronized RateLimiter limit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
    this.limit = limit;
    return this;
  }

  /** Whole seconds, at least one; changing the window starts a fresh budget. */
  public synchronized RateLimiter window(Duration window) {
    if (window.getSeconds() < 1 || window.getNano() != 0) {
      throw new IllegalArgumentException(
          "window must be a whole number of seconds >= 1: " + window);
    }
    this.windowSeconds = window.getSeconds();
    reset();
    return this;
  }

  /** 420 (what Cloudinary sends) or 429 (what newer SDKs also accept). */
  public synchronized RateLimiter status(int status) {
    if (status != 420 && status != 429) {
      throw new IllegalArgumentException("status must be 420 or 429: " + status);
    }
    this.status = status;
    return this;
  }

  /** Use the add-on quota wording, whose message carries no parseable reset time. */
  public synchronized RateLimiter messageWithoutTimestamp(boolean value) {
    this.messageWithoutTimestamp = value;
    return this;
  }

  /** Forgets the calls made in the current window. */
  public synchronized RateLimiter reset() {
    currentWindowStart = Long.MIN_VALUE;
    used = 0;
    return this;
  }

  public synchronized int limit() {
    return limit;
  }

  public synchronized Duration window() {
    return Duration.ofSeconds(windowSeconds);
  }

  public synchronized int status() {
    return status;
  }

  public synchronized boolean messageWithoutTimestamp() {
    return messageWithoutTimestamp;
  }

  /** Calls left in the current window. */
  public synchronized int remaining() {
    roll(clock.instant());
    return Math.max(0, limit - used);
  }

  /** Consumes one call if the budget allows it. */
  synchronized Decision tryAcquire() {
    Instant now = clock.instant();
    roll(now);
    Instant resetAt = Instant.ofEpochSecond(currentWindowStart + windowSeconds);
    if (used >= limit) {
      return new Decision(false, limit, 0, resetAt);
    }
    used++;
    return new Decision(true, limit, limit - used, resetAt);
  }

  /** The budget as it stands, without consuming any of it. */
  synchronized Decision peek() {
    roll(clock.instant());
    return new Decision(
        used < limit,
        limit,
        Math.max(0, limit - used),
        Instant.ofEpochSecond(currentWindowStart + windowSeconds));
  }

  /** The error message of a refused call. */
  synchronized String exceededMessage(Decision decision) {
    String prefix =
        "Rate Limit Exceeded. Limit of "
            + decision.limit()
            + " api operations reached. Try again on ";
    return messageWithoutTimestamp
        ? prefix + "the next monthly billing usage date."
        : prefix + MESSAGE_TIME.format(decision.resetAt()) + " UTC";
  }

  private void roll(Instant now) {
    long start = Math.floorDiv(now.getEpochSecond(), windowSeconds) * windowSeconds;
    if (start != currentWindowStart) {
      currentWindowStart = start;
      used = 0;
    }
  }
}
