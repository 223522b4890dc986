package io.github.cloudinarybackup.observe;

import com.cloudinary.api.RateLimit;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.ConnectionStatus;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while the Cloudinary connection is failing, i.e. the latest Admin call could not
 * reach the API, got a 5xx or nonsense, or had its credentials refused. A rate-limit refusal is an
 * answer, not a failure. Not a liveness check: restarting the process would not mend Cloudinary.
 */
public final class CloudinaryHealthCheck extends AbstractHealthCheck {

  private final CloudinaryAdmin admin;

  public CloudinaryHealthCheck(CloudinaryAdmin admin) {
    super("cloudinary-backup", "cloudinary");
    this.admin = admin;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    if (admin == null) {
      builder.message("no Cloudinary credentials are configured").down();
      return;
    }
    ConnectionStatus status = admin.connectionStatus();
    builder.detail("admin.calls", admin.calls());
    if (status.lastAnswer() != null) {
      builder.detail("last.answer", status.lastAnswer().toString());
    }
    if (status.lastFailure() != null) {
      builder.detail("last.failure", status.lastFailure().toString());
      builder.detail("last.failure.reason", status.failure());
    }
    RateLimit limit = admin.lastRateLimit();
    if (limit != null) {
      builder.detail("admin.calls.remaining", limit.getRemaining());
      builder.detail("admin.calls.limit", limit.getLimit());
      builder.detail("admin.calls.reset", limit.getReset().toInstant().toString());
    }
    if (status.failing()) {
      builder.message("the Cloudinary Admin API is failing: " + status.failure()).down();
    } else {
      builder
          .message(
              status.lastAnswer() == null
                  ? "no Admin call made yet"
                  : "the Cloudinary Admin API answers")
          .up();
    }
  }
}
