package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.ListingPage;
import io.github.cloudinarybackup.config.BackupConfiguration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through {@code GET /resources/<type>} with the largest page the API allows, one Admin call
 * per page. The cursor after each page is saved once the page is backed up ({@link PagesInFlight}),
 * so a restarted run goes on from the page it was in rather than from the first.
 */
public final class ResourceListing {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceListing.class);

  /** Where one listing stands: the cursor of the page to fetch next ({@code null}: the first). */
  public static final class Cursor {
    private final String resourceType;
    private String current;
    private int pages;

    Cursor(String resourceType, String current) {
      this.resourceType = resourceType;
      this.current = current;
    }
  }

  /**
   * What a page's completion saves: the listing, the page's place in it (from 0 in this run), and the
   * cursor after the page ({@code null}: the last page).
   */
  public record PageEnd(String listing, int sequence, String nextCursor) {}

  private final BackupSession session;

  public ResourceListing(BackupSession session) {
    this.session = session;
  }

  /** The listings of a run, in order: resource types, each per delivery type if so configured, or search. */
  public List<String> listings() {
    return session.config().listings();
  }

  /** Starts one listing, or resumes it where an interrupted run left it. */
  public void open(String resourceType, Exchange exchange) {
    String type = resourceType.trim();
    Catalog catalog = session.config().dryRun() ? null : session.catalog();
    Cursor cursor = new Cursor(type, catalog == null ? null : catalog.cursor(type).orElse(null));
    boolean pending = catalog == null || !catalog.listingComplete(type);
    if (cursor.current != null) {
      LOG.info("Resuming the {} listing from its saved cursor", type);
    } else if (!pending) {
      LOG.info("The {} listing was already completed by this run", type);
    }
    exchange.setProperty(BackupConstants.LISTING, cursor);
    exchange.setProperty(BackupConstants.HAS_MORE_PAGES, pending);
  }

  /**
   * One Admin call: the assets of the next page. What the page's completion will save goes with it
   * as {@link BackupConstants#PAGE_END}, so the cursor saved is always the one after this page.
   */
  public List<Map<String, Object>> nextPage(Exchange exchange) throws Exception {
    Cursor cursor = exchange.getProperty(BackupConstants.LISTING, Cursor.class);
    ListingPage page = fetch(cursor);
    session.statistics().pages.incrementAndGet();
    session.statistics().listed.addAndGet(page.resources().size());
    LOG.debug("{} page: {} assets, more: {}", cursor.resourceType, page.resources().size(), page.nextCursor() != null);
    exchange.setProperty(BackupConstants.PAGE_END, new PageEnd(cursor.resourceType, cursor.pages++, page.nextCursor()));
    exchange.setProperty(BackupConstants.HAS_MORE_PAGES, page.nextCursor() != null);
    cursor.current = page.nextCursor();
    return page.resources();
  }

  private ListingPage fetch(Cursor cursor) throws Exception {
    BackupConfiguration config = session.config();
    if (BackupConfiguration.SEARCH_LISTING.equals(cursor.resourceType)) {
      ListingPage page = session.admin().search(config.searchExpression(), cursor.current, config.pageSize());
      // the expression may match any resource type: keep those in scope
      List<Map<String, Object>> inScope =
          page.resources().stream()
              .filter(r -> config.resourceTypes().contains(String.valueOf(r.getOrDefault("resource_type", "image"))))
              .toList();
      return new ListingPage(inScope, page.nextCursor());
    }
    int slash = cursor.resourceType.indexOf('/');
    String resourceType = slash < 0 ? cursor.resourceType : cursor.resourceType.substring(0, slash);
    String deliveryType = slash < 0 ? null : cursor.resourceType.substring(slash + 1);
    return session.admin().listResources(resourceType, deliveryType, config.prefix(), cursor.current, config.pageSize());
  }
}
