package io.github.cloudinarybackup.run;

import com.cloudinary.api.RateLimit;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.config.RateLimitReserve;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the next Admin API call may go out. Two reasons to wait:
 *
 * <ul>
 *   <li>Cloudinary refused a call (420/429) and said when to try again; the instant is persisted in
 *       the catalog, so a restarted process waits too instead of calling early;
 *   <li>the rate-limit headers of the last response show the budget down to the reserve: listing
 *       pauses until the window resets rather than provoking a 420.
 * </ul>
 *
 * The routes wait with an asynchronous delay of {@link #millisUntilAllowed()}: no thread sleeps.
 */
public final class RateLimitGate {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitGate.class);
  private static final Pattern TRY_AGAIN =
      Pattern.compile("Try again on (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) UTC");
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final BackupSession session;
  private final Clock clock;
  private final Duration margin;
  private final RateLimitReserve reserve;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  private volatile Instant pausedUntil = Instant.EPOCH;
  private volatile Instant lastAnnounced = Instant.EPOCH;
  private int unannouncedInARow;

  public RateLimitGate(
      BackupSession session,
      Clock clock,
      Duration margin,
      RateLimitReserve reserve,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.session = session;
    this.clock = clock;
    this.margin = margin;
    this.reserve = reserve;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Picks up the pause an earlier process was told to respect. */
  public void restore(Catalog catalog) {
    catalog.rateLimitPause().ifPresent(until -> pausedUntil = max(pausedUntil, until));
  }

  /** How long to wait before the next Admin call; 0 when it may go out now. */
  public long millisUntilAllowed() {
    Instant now = clock.instant();
    Instant until = pausedUntil;
    RateLimit last = session.admin().lastRateLimit();
    if (atReserve(last)) {
      Instant reset = last.getReset().toInstant();
      if (reset.isAfter(now) && reset.plus(margin).isAfter(until)) {
        until = reset.plus(margin);
        if (!reset.equals(lastAnnounced)) {
          lastAnnounced = reset;
          persist(until);
          LOG.info(
              "{} of {} Admin API calls left in this window; pausing until it resets at {}",
              last.getRemaining(),
              last.getLimit(),
              reset);
        }
      }
    }
    long millis = Duration.between(now, until).toMillis();
    if (millis > 0) {
      session.statistics().rateLimitWaits.incrementAndGet();
      session.statistics().rateLimitWaitMillis.addAndGet(millis);
      return millis;
    }
    return 0;
  }

  /**
   * Until when Admin calls are held back, for a refusal or a spent budget; in the past when they
   * are not. Unlike {@link #millisUntilAllowed()} it neither counts a wait nor logs.
   */
  public Instant heldUntil() {
    Instant until = pausedUntil;
    RateLimit last = session.admin() == null ? null : session.admin().lastRateLimit();
    if (atReserve(last)) {
      until = max(until, last.getReset().toInstant().plus(margin));
    }
    return until;
  }

  /**
   * Cloudinary refused a call: work out when to try again (the "Try again on" instant, else the
   * last {@code X-FeatureRateLimit-Reset}, else an exponential backoff), persist it, and pause
   * until then.
   */
  public void parkUntilReset(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    Instant now = clock.instant();
    Instant resume;
    Optional<Instant> announced = tryAgainOn(message);
    RateLimit last = session.admin().lastRateLimit();
    if (announced.isPresent()) {
      resume = announced.get().plus(margin);
      unannouncedInARow = 0;
    } else if (last != null && last.getReset().toInstant().isAfter(now)) {
      resume = last.getReset().toInstant().plus(margin);
      unannouncedInARow = 0;
    } else {
      long factor = 1L << Math.min(20, unannouncedInARow++);
      Duration backoff = initialBackoff.multipliedBy(factor);
      resume = now.plus(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
    }
    pausedUntil = max(pausedUntil, resume);
    persist(pausedUntil);
    session.statistics().rateLimited.incrementAndGet();
    LOG.warn("Cloudinary rate limit: {} Pausing Admin API calls until {}", message, pausedUntil);
  }

  /**
   * The {@code retryWhile} of a refused Admin call: parks the gate as {@link #parkUntilReset} does,
   * and has Camel's error handler make the call again once the pause is over ({@code
   * CamelRedeliveryDelay}, waited without holding a thread). The refusal does not count as one of
   * the call's fault retries, so a fault on the call made again gets all of them.
   *
   * @return false when the run is stopping: the call is not made again, and the run ends for the
   *     reason it is stopping, not for the refusal
   */
  public boolean retryAfterRefusal(Exchange exchange) {
    RunStoppedException stop = session.stopping();
    if (stop != null) {
      exchange.setProperty(Exchange.EXCEPTION_CAUGHT, stop);
      return false;
    }
    parkUntilReset(exchange);
    exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, millisUntilAllowed());
    exchange.getIn().removeHeader(Exchange.REDELIVERY_COUNTER);
    return true;
  }

  /** The last answer left no more calls in its window than the reserve (0 reserved: none left). */
  private boolean atReserve(RateLimit last) {
    return !reserve.off()
        && last != null
        && last.getRemaining() <= reserve.callsOf(last.getLimit());
  }

  /** A restarted process must not call before this either. */
  private void persist(Instant until) {
    Catalog catalog = session.catalog();
    if (catalog != null && !session.config().dryRun()) {
      catalog.saveRateLimitPause(until);
    }
  }

  /** The instant in Cloudinary's "Try again on YYYY-MM-DD HH:MM:SS UTC", if the message has one. */
  public static Optional<Instant> tryAgainOn(String message) {
    Matcher m = TRY_AGAIN.matcher(message);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(LocalDateTime.parse(m.group(1), UTC_TIME).toInstant(ZoneOffset.UTC));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
