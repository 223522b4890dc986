package io.github.cloudinarybackup;

import io.github.cloudinarybackup.cloudinary.CloudinaryRateLimitException;
import io.github.cloudinarybackup.cloudinary.CloudinaryUnavailableException;
import io.github.cloudinarybackup.run.DownloadRetryPolicy;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error handling, kept out of the flow: each YAML route opts into one of these configurations with
 * {@code routeConfigurationId}. Retries back off exponentially with jitter and wait asynchronously,
 * so no thread sleeps.
 */
public final class BackupErrorHandling extends RouteConfigurationBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(BackupErrorHandling.class);

  /**
   * A download is retried on faults that pass; an asset that still fails is recorded, the run goes
   * on.
   */
  public static final String ASSET_ERRORS = "asset-errors";

  /**
   * An Admin call: a rate limit is waited out and the call made again at the instant Cloudinary
   * names, as often as it refuses; 5xx, I/O errors and non-JSON answers are retried; anything else,
   * or retries exhausted, ends the run.
   */
  public static final String ADMIN_CALL_ERRORS = "admin-call-errors";

  /** A failure of the run itself (settings, credentials, listing) stops it with one clear line. */
  public static final String RUN_ERRORS = "run-errors";

  /** Not handled where it happens: the caller's configuration decides. */
  public static final String PROPAGATE_ERRORS = "propagate-errors";

  @Override
  public void configuration() {
    // downloads: the retry policy bean decides which failures get another try
    RouteConfigurationDefinition asset = routeConfiguration(ASSET_ERRORS);
    asset.errorHandler(defaultErrorHandler().logExhausted(false));
    backoff(asset.onException(Exception.class))
        .retryWhile(method("downloadRetryPolicy", "shouldRetry"))
        .onRedelivery(exchange -> registry(exchange).logRetry(exchange))
        .handled(true)
        .bean("assetCataloguer", "failed");

    // Admin calls: a rate limit is waited out and the call made again, faults are retried,
    // anything else or retries exhausted ends the run
    RouteConfigurationDefinition admin = routeConfiguration(ADMIN_CALL_ERRORS);
    admin.errorHandler(defaultErrorHandler().logExhausted(false));
    // each call gets its own retries: Camel counts them in headers the exchange carries from one
    // call to the next (and into a split's listings); a redelivery does not come in again, so it
    // keeps its count
    admin.interceptFrom().removeHeaders("CamelRedeliver*");
    // as often as Cloudinary refuses, each time at the instant it names (the gate sets the delay)
    admin
        .onException(CloudinaryRateLimitException.class)
        .retryWhile(method("rateLimitGate", "retryAfterRefusal"))
        .asyncDelayedRedelivery()
        // the delay served its wait; a fault on the call made again backs off on its own
        .onRedelivery(exchange -> exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY))
        .logRetryAttempted(false)
        .logExhausted(false)
        .handled(true)
        .bean("backupRun", "abort");
    backoff(admin.onException(CloudinaryUnavailableException.class))
        .maximumRedeliveries("{{backup.retry.attempts}}")
        .onRedelivery(
            exchange ->
                LOG.warn(
                    "Admin API call failed ({}); retry {}",
                    Messages.oneLine(
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)),
                    exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER)))
        .handled(true)
        .bean("backupRun", "abort");
    admin.onException(Exception.class).handled(true).bean("backupRun", "abort");

    routeConfiguration(RUN_ERRORS)
        .onException(Exception.class)
        .handled(true)
        .bean("backupRun", "abort");

    routeConfiguration(PROPAGATE_ERRORS).errorHandler(noErrorHandler());
  }

  private static DownloadRetryPolicy registry(Exchange exchange) {
    return exchange
        .getContext()
        .getRegistry()
        .lookupByNameAndType("downloadRetryPolicy", DownloadRetryPolicy.class);
  }

  /** Exponential backoff with jitter, waited asynchronously; the failed step runs again. */
  private static OnExceptionDefinition backoff(OnExceptionDefinition onException) {
    return onException
        .redeliveryDelay("{{backup.retry.initial-delay-ms}}")
        .useExponentialBackOff()
        .backOffMultiplier(2)
        .maximumRedeliveryDelay("{{backup.retry.max-delay-ms}}")
        .useCollisionAvoidance()
        .asyncDelayedRedelivery()
        .logRetryAttempted(false)
        .logExhausted(false);
  }
}
