package io.github.cloudinarybackup.observe;

import com.cloudinary.api.RateLimit;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.run.BackupSession;
import io.github.cloudinarybackup.run.RunOutcome;
import io.github.cloudinarybackup.run.RunStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The backup's own Prometheus metrics, served at /observe/metrics beside Camel's. Counters are
 * summed over every run of the process (a scheduled daemon runs many); gauges show the latest
 * state.
 *
 * <pre>
 * cloudinary_backup_assets_listed_total        assets the listings returned
 * cloudinary_backup_assets_downloaded_total    originals downloaded and verified
 * cloudinary_backup_assets_unchanged_total     assets already backed up, not downloaded again
 * cloudinary_backup_assets_failed_total        assets that failed after every retry
 * cloudinary_backup_assets_deleted_total       assets found gone from the account
 * cloudinary_backup_downloaded_bytes_total     bytes of originals downloaded
 * cloudinary_backup_rate_limit_refusals_total  Admin calls refused with 420/429
 * cloudinary_backup_rate_limit_waits_total     pauses before Admin calls, and their length:
 * cloudinary_backup_rate_limit_wait_seconds_total
 * cloudinary_backup_admin_calls_total          Admin API calls made
 * cloudinary_backup_admin_calls_remaining      X-FeatureRateLimit-Remaining of the latest answer
 * cloudinary_backup_admin_calls_limit          X-FeatureRateLimit-Limit of the latest answer
 * cloudinary_backup_run_in_progress            1 while a run is under way
 * cloudinary_backup_last_run_exit_code         exit code of the latest run (0 ok, 1 failures, 2, 3)
 * cloudinary_backup_last_run_end_timestamp_seconds
 * cloudinary_backup_last_success_timestamp_seconds
 * </pre>
 */
public final class BackupMetrics implements MeterBinder {

  private final BackupSession session;

  public BackupMetrics(BackupSession session) {
    this.session = session;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry, "assets.listed", "Assets the Cloudinary listings returned", s -> s.listed.get());
    counter(
        registry,
        "assets.downloaded",
        "Originals downloaded and verified",
        s -> s.downloaded.get());
    counter(
        registry,
        "assets.unchanged",
        "Assets already backed up, not downloaded again",
        s -> s.unchanged.get());
    counter(registry, "assets.failed", "Assets that failed after every retry", s -> s.failed.get());
    counter(registry, "assets.deleted", "Assets found gone from the account", s -> s.deleted.get());
    FunctionCounter.builder("cloudinary.backup.downloaded", session, total(s -> s.bytes.get()))
        .baseUnit("bytes")
        .description("Bytes of originals downloaded")
        .register(registry);
    counter(
        registry,
        "rate.limit.refusals",
        "Admin API calls Cloudinary refused with 420 or 429",
        s -> s.rateLimited.get());
    counter(
        registry,
        "rate.limit.waits",
        "Pauses before Admin API calls for the rate limit",
        s -> s.rateLimitWaits.get());
    FunctionCounter.builder(
            "cloudinary.backup.rate.limit.wait",
            session,
            s -> s.total(r -> r.rateLimitWaitMillis.get()) / 1e3)
        .baseUnit("seconds")
        .description("Time spent pausing for the rate limit")
        .register(registry);

    CloudinaryAdmin admin = session.admin();
    if (admin != null) {
      FunctionCounter.builder("cloudinary.backup.admin.calls", admin, CloudinaryAdmin::calls)
          .description("Admin API calls made")
          .register(registry);
      gauge(
          registry,
          "admin.calls.remaining",
          "Admin API calls left in the rate-limit window (latest answer)",
          admin,
          a -> rateLimit(a, RateLimit::getRemaining));
      gauge(
          registry,
          "admin.calls.limit",
          "Admin API calls allowed per rate-limit window (latest answer)",
          admin,
          a -> rateLimit(a, RateLimit::getLimit));
    }
    gauge(
        registry,
        "run.in.progress",
        "1 while a backup run is under way",
        session,
        s -> s.running() ? 1 : 0);
    RunOutcome outcome = session.outcome();
    gauge(
        registry,
        "last.run.exit.code",
        "Exit code of the latest run: 0 ok, 1 failures, 2 configuration, 3 aborted",
        outcome,
        o -> o.lastEnded() == null ? Double.NaN : o.lastExitCode());
    gauge(
        registry,
        "last.run.end.timestamp.seconds",
        "When the latest run ended",
        outcome,
        o -> seconds(o.lastEnded()));
    gauge(
        registry,
        "last.success.timestamp.seconds",
        "When a run last ended with exit code 0",
        outcome,
        o -> seconds(o.lastSucceeded()));
  }

  private void counter(
      MeterRegistry registry, String name, String help, ToLongFunction<RunStatistics> counter) {
    FunctionCounter.builder("cloudinary.backup." + name, session, total(counter))
        .description(help)
        .register(registry);
  }

  private static <T> void gauge(
      MeterRegistry registry, String name, String help, T source, ToDoubleFunction<T> value) {
    Gauge.builder("cloudinary.backup." + name, source, value).description(help).register(registry);
  }

  private static ToDoubleFunction<BackupSession> total(ToLongFunction<RunStatistics> counter) {
    return s -> s.total(counter);
  }

  private static double rateLimit(CloudinaryAdmin admin, ToLongFunction<RateLimit> value) {
    RateLimit limit = admin.lastRateLimit();
    return limit == null ? Double.NaN : value.applyAsLong(limit);
  }

  private static double seconds(Instant instant) {
    return instant == null ? Double.NaN : instant.toEpochMilli() / 1e3;
  }
}
