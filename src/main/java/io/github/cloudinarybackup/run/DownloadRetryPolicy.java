package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.CatalogClosedException;
import io.github.cloudinarybackup.download.Download;
import io.github.cloudinarybackup.files.LocalWriteException;
import java.io.IOException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which failed downloads are worth another try: connection errors, timeouts, cut-off, overlong or
 * corrupt bodies, 5xx, 408 and 429, up to the configured number of retries; a 401 once (the retry
 * signs the URL afresh), counted like any other; nothing else: a 404 will not get better, nor will
 * a name the filesystem rejects, and a full disk or a stopping run ends the run instead.
 *
 * <p>The attempts are counted in an exchange property of this policy's own, not in Camel's
 * redelivery header, which a step of the route could (and once did) remove: one asset that can
 * never be downloaded costs a bounded number of attempts, whatever happens in the route.
 */
public final class DownloadRetryPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadRetryPolicy.class);
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 425, 429, 500, 502, 503, 504);

  /** Failed attempts at this asset so far. */
  static final String FAILURES = "CloudinaryBackupDownloadFailures";

  private static final String RESIGNED = "CloudinaryBackupResigned";

  private final BackupSession session;
  private final int attempts;
  private final DownloadConcurrency concurrency;

  /**
   * @param attempts retries after the first try
   * @param concurrency told when the server refuses for load, or {@code null}
   */
  public DownloadRetryPolicy(BackupSession session, int attempts, DownloadConcurrency concurrency) {
    this.session = session;
    this.attempts = attempts;
    this.concurrency = concurrency;
  }

  /**
   * The {@code retryWhile} predicate of the asset error handler; counts the failure it is asked
   * about.
   */
  public boolean shouldRetry(Exchange exchange) {
    int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
    exchange.setProperty(FAILURES, failures);
    Throwable failure =
        exchange.getException() != null
            ? exchange.getException()
            : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    if (failures > attempts
        || session.stopping() != null
        || RunStoppedException.behind(failure) != null) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CatalogClosedException || t instanceof LocalWriteException) {
        return false;
      }
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
        if ((status == 429 || status == 503) && concurrency != null) {
          concurrency.serverRefused();
        }
        return RETRYABLE_STATUS.contains(status);
      }
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** One line per retry, without the exception's text (it may hold a signed URL). */
  public void logRetry(Exchange exchange) {
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    int retry = exchange.getProperty(FAILURES, 0, Integer.class);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    LOG.info(
        "Retrying {} (retry {} of at most {}) after: {}",
        record == null
            ? "a download"
            : record.resourceType() + "/" + record.type() + "/" + record.publicId(),
        retry,
        attempts,
        AssetCataloguer.reason(
            failure, exchange.getProperty(BackupConstants.DOWNLOAD, Download.class)));
  }
}
