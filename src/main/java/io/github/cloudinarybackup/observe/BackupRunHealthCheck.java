package io.github.cloudinarybackup.observe;

import io.github.cloudinarybackup.run.BackupSession;
import io.github.cloudinarybackup.run.RateLimitGate;
import io.github.cloudinarybackup.run.RunOutcome;
import io.github.cloudinarybackup.run.RunStatistics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness: DOWN when a run is under way but stuck, i.e. nothing was listed, downloaded, checked or
 * failed for longer than {@code backup.health.stuck-after-ms}, and it is not waiting out a rate
 * limit. A restart resumes from the catalog. Progress is judged between calls of this check, which
 * probes make at a steady interval.
 */
public final class BackupRunHealthCheck extends AbstractHealthCheck {

  private final BackupSession session;
  private final RateLimitGate gate;
  private final Duration stuckAfter;
  private final Clock clock;
  private long lastProgress = -1;
  private Instant lastProgressAt;

  public BackupRunHealthCheck(
      BackupSession session, RateLimitGate gate, Duration stuckAfter, Clock clock) {
    super("cloudinary-backup", "backup-run");
    this.session = session;
    this.gate = gate;
    this.stuckAfter = stuckAfter;
    this.clock = clock;
  }

  @Override
  public boolean isLiveness() {
    return true;
  }

  @Override
  protected synchronized void doCall(
      HealthCheckResultBuilder builder, Map<String, Object> options) {
    Instant now = clock.instant();
    RunOutcome outcome = session.outcome();
    if (outcome.lastEnded() != null) {
      builder.detail("last.run.ended", outcome.lastEnded().toString());
      builder.detail("last.run.exit.code", outcome.lastExitCode());
    }
    if (outcome.lastSucceeded() != null) {
      builder.detail("last.run.succeeded", outcome.lastSucceeded().toString());
    }
    if (!session.running()) {
      lastProgress = -1;
      builder.message("no run under way").up();
      return;
    }
    RunStatistics s = session.statistics();
    long progress = s.pages.get() + s.listed.get() + s.done() + s.bytes.get();
    if (progress != lastProgress || lastProgressAt == null) {
      lastProgress = progress;
      lastProgressAt = now;
    }
    builder.detail("run.id", session.runId());
    builder.detail("last.progress", lastProgressAt.toString());
    Instant held = gate.heldUntil();
    if (held.isAfter(now)) {
      builder
          .message("waiting for the Cloudinary rate limit until " + held)
          .detail("rate.limit.until", held.toString());
      builder.up();
    } else if (Duration.between(lastProgressAt, now).compareTo(stuckAfter) > 0) {
      builder
          .message("the run " + session.runId() + " has made no progress since " + lastProgressAt)
          .down();
    } else {
      builder.message("the run " + session.runId() + " is making progress").up();
    }
  }
}
