package io.github.cloudinarybackup;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling, kept out of the flow: each YAML route opts into one of these configurations with
 * {@code routeConfigurationId}.
 */
public final class BackupErrorHandling extends RouteConfigurationBuilder {

  /** An asset that cannot be backed up is recorded as failed; the run goes on with the next one. */
  public static final String ASSET_ERRORS = "asset-errors";

  /** A failure of the run itself (settings, credentials, listing) stops it with one clear line. */
  public static final String RUN_ERRORS = "run-errors";

  /** Listing failures are not handled where they happen but end the run, through {@link #RUN_ERRORS}. */
  public static final String LISTING_ERRORS = "listing-errors";

  @Override
  public void configuration() {
    routeConfiguration(ASSET_ERRORS)
        .onException(Exception.class)
        .handled(true)
        .bean("assetCataloguer", "failed");

    routeConfiguration(RUN_ERRORS)
        .onException(Exception.class)
        .handled(true)
        .bean("backupRun", "abort");

    routeConfiguration(LISTING_ERRORS).errorHandler(noErrorHandler());
  }
}
