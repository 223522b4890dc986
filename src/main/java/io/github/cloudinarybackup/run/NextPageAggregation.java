package io.github.cloudinarybackup.run;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * Joins the two branches of "back up this page while the next one is listed": the result is the
 * listing branch (the next page), and a failure in either branch is kept so the run sees it.
 */
public final class NextPageAggregation implements AggregationStrategy {

  /** The branch that lists the next page. */
  private static final int LISTING_BRANCH = 1;

  @Override
  public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
    if (oldExchange == null) {
      return newExchange;
    }
    Exchange listing = isListing(newExchange) ? newExchange : oldExchange;
    Exchange other = listing == newExchange ? oldExchange : newExchange;
    if (listing.getException() == null && other.getException() != null) {
      listing.setException(other.getException());
    }
    return listing;
  }

  private static boolean isListing(Exchange exchange) {
    Integer index = exchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX, Integer.class);
    return index != null && index == LISTING_BRANCH;
  }
}
