package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.AssetRecord;
import java.io.IOException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which failed downloads are worth another try: connection errors, timeouts, truncated or corrupt
 * bodies, 5xx, 408 and 429 up to the configured number of retries; a 401 once (the retry signs the
 * URL afresh); nothing else (a 404 will not get better).
 */
public final class DownloadRetryPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadRetryPolicy.class);
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 425, 429, 500, 502, 503, 504);

  private static final String RESIGNED = "CloudinaryBackupResigned";

  private final int attempts;

  /** @param attempts retries after the first try */
  public DownloadRetryPolicy(int attempts) {
    this.attempts = attempts;
  }

  /** The {@code retryWhile} predicate of the asset error handler. */
  public boolean shouldRetry(Exchange exchange) {
    // Camel counts this failure before asking: 1 on the first failure
    int failures = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
    Throwable failure = exchange.getException() != null
        ? exchange.getException()
        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpOperationFailedException http) {
        int status = http.getStatusCode();
        if (status == 401) {
          // one retry with a fresh signature, then final
          if (exchange.getProperty(RESIGNED, false, Boolean.class)) {
            return false;
          }
          exchange.setProperty(RESIGNED, true);
          return true;
        }
        return RETRYABLE_STATUS.contains(status) && failures <= attempts;
      }
      if (t instanceof IOException) {
        return failures <= attempts;
      }
    }
    return false;
  }

  /** One line per retry, without the exception's text (it may hold a signed URL). */
  public void logRetry(Exchange exchange) {
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    int retry = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    LOG.info(
        "Retrying {} (retry {} of at most {}) after: {}",
        record == null ? "a download" : record.resourceType() + "/" + record.type() + "/" + record.publicId(),
        retry, attempts, AssetCataloguer.reason(failure));
  }
}
