package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.ListingPage;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through {@code GET /resources/<type>} with the largest page the API allows, one Admin call
 * per page. The cursor is saved in the catalog after each page is backed up, so a restarted run goes
 * on from the page it was in rather than from the first.
 */
public final class ResourceListing {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceListing.class);

  /** Where one listing stands: the cursor of the page being worked on and of the next one. */
  public static final class Cursor {
    private final String resourceType;
    private String current;
    private String next;

    Cursor(String resourceType, String current) {
      this.resourceType = resourceType;
      this.current = current;
    }

    public String resourceType() {
      return resourceType;
    }
  }

  private final BackupSession session;

  public ResourceListing(BackupSession session) {
    this.session = session;
  }

  /** Starts the listing of one resource type, or resumes it where an interrupted run left it. */
  public void open(String resourceType, Exchange exchange) {
    String type = resourceType.trim();
    Catalog catalog = session.catalog();
    Cursor cursor = new Cursor(type, catalog.cursor(type).orElse(null));
    boolean pending = !catalog.listingComplete(type);
    if (cursor.current != null) {
      LOG.info("Resuming the {} listing from its saved cursor", type);
    } else if (!pending) {
      LOG.info("The {} listing was already completed by this run", type);
    }
    exchange.setProperty(BackupConstants.LISTING, cursor);
    exchange.setProperty(BackupConstants.HAS_MORE_PAGES, pending);
  }

  /** One Admin call: the assets of the next page. */
  public List<Map<String, Object>> nextPage(Exchange exchange) throws Exception {
    Cursor cursor = exchange.getProperty(BackupConstants.LISTING, Cursor.class);
    ListingPage page =
        session.admin().listResources(cursor.resourceType, cursor.current, session.config().pageSize());
    cursor.next = page.nextCursor();
    session.statistics().pages.incrementAndGet();
    session.statistics().listed.addAndGet(page.resources().size());
    LOG.debug("{} page: {} assets, more: {}", cursor.resourceType, page.resources().size(), cursor.next != null);
    return page.resources();
  }

  /** The page is backed up: remember the next cursor (or that the listing is complete). */
  public void pageDone(Exchange exchange) {
    Cursor cursor = exchange.getProperty(BackupConstants.LISTING, Cursor.class);
    session.catalog().saveCursor(cursor.resourceType, cursor.next);
    cursor.current = cursor.next;
    exchange.setProperty(BackupConstants.HAS_MORE_PAGES, cursor.next != null);
  }
}
