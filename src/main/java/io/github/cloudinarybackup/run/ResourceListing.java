package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.ListingPage;
import io.github.cloudinarybackup.config.BackupConfiguration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through {@code GET /resources/<type>} with the largest page the API allows, one Admin call
 * per page. The cursor after each page is saved once the page is backed up ({@link PagesInFlight}),
 * so a restarted run goes on from the page it was in rather than from the first. A listing that
 * goes round in a circle (a cursor or a page it already had, or far more pages than the total
 * announced) stops the run rather than spending the account's Admin budget for ever.
 */
public final class ResourceListing {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceListing.class);

  /** Where one listing stands: the cursor of the page to fetch next ({@code null}: the first). */
  public static final class Cursor {
    private final String resourceType;
    private String current;
    private int pages;
    private long listed;

    /** What this listing has already had; a few per page (at most one page per 500 assets). */
    private final Set<String> cursorsSeen = new HashSet<>();

    private final Set<Long> pagesSeen = new HashSet<>();

    Cursor(String resourceType, String current) {
      this.resourceType = resourceType;
      this.current = current;
      if (current != null) {
        cursorsSeen.add(current);
      }
    }
  }

  /**
   * What a page's completion saves: the listing, the page's place in it (from 0 in this run), and
   * the cursor after the page ({@code null}: the last page). A page one of whose assets was left
   * for the next run (the run is stopping) saves nothing.
   */
  public static final class PageEnd {
    private final String listing;
    private final int sequence;
    private final String nextCursor;
    private final AtomicBoolean assetsLeft = new AtomicBoolean();

    public PageEnd(String listing, int sequence, String nextCursor) {
      this.listing = listing;
      this.sequence = sequence;
      this.nextCursor = nextCursor;
    }

    public String listing() {
      return listing;
    }

    public int sequence() {
      return sequence;
    }

    public String nextCursor() {
      return nextCursor;
    }

    /** An asset of the page was left undone: the next run must list this page again. */
    void leaveAsset() {
      assetsLeft.set(true);
    }

    /** Whether every asset of the page was done (backed up, skipped or recorded as failed). */
    boolean complete() {
      return !assetsLeft.get();
    }
  }

  private final BackupSession session;

  public ResourceListing(BackupSession session) {
    this.session = session;
  }

  /**
   * The listings of a run, in order: resource types, each per delivery type if so configured, or
   * search.
   */
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
    session.requireNotStopping();
    ListingPage page = fetch(cursor);
    cursor.listed += page.resources().size();
    checkNotCircling(cursor, page);
    session.statistics().pages.incrementAndGet();
    session.statistics().listed.addAndGet(page.resources().size());
    LOG.debug(
        "{} page: {} assets, more: {}",
        cursor.resourceType,
        page.resources().size(),
        page.nextCursor() != null);
    exchange.setProperty(
        BackupConstants.PAGE_END,
        new PageEnd(cursor.resourceType, cursor.pages++, page.nextCursor()));
    exchange.setProperty(BackupConstants.HAS_MORE_PAGES, page.nextCursor() != null);
    cursor.current = page.nextCursor();
    return page.resources();
  }

  /** A correct listing never repeats a cursor or a page, and ends near the total it announces. */
  private void checkNotCircling(Cursor cursor, ListingPage page) {
    String what = null;
    if (page.nextCursor() != null && !cursor.cursorsSeen.add(page.nextCursor())) {
      what = "returned a next_cursor it had already returned";
    } else if (!page.resources().isEmpty()
        && !cursor.pagesSeen.add(fingerprint(page.resources()))) {
      what = "returned a page it had already returned";
    } else if (page.totalCount() >= 0
        && cursor.listed > page.totalCount() + 2L * session.config().pageSize()) {
      what = "returned " + cursor.listed + " assets where it announced " + page.totalCount();
    }
    if (what != null) {
      throw new RunStoppedException(
          "the Cloudinary API "
              + what
              + " in the "
              + cursor.resourceType
              + " listing (page "
              + (cursor.pages + 1)
              + "): stopped listing rather than go round for ever. What was listed before is backed up;"
              + " run the same command again later to resume",
          ExitCode.ABORTED);
    }
  }

  /** A 64-bit digest of a page's asset keys, in order. */
  private static long fingerprint(List<Map<String, Object>> resources) {
    long h = resources.size();
    for (Map<String, Object> r : resources) {
      Object id = r.get("asset_id");
      String key =
          id != null
              ? id.toString()
              : r.get("resource_type") + "/" + r.get("type") + "/" + r.get("public_id");
      h = h * 0x9E3779B97F4A7C15L + key.hashCode();
      h ^= h >>> 29;
    }
    return h;
  }

  private ListingPage fetch(Cursor cursor) throws Exception {
    BackupConfiguration config = session.config();
    if (BackupConfiguration.SEARCH_LISTING.equals(cursor.resourceType)) {
      ListingPage page =
          session.admin().search(config.searchExpression(), cursor.current, config.pageSize());
      // the expression may match any resource type: keep those in scope
      List<Map<String, Object>> inScope =
          page.resources().stream()
              .filter(
                  r ->
                      config
                          .resourceTypes()
                          .contains(String.valueOf(r.getOrDefault("resource_type", "image"))))
              .toList();
      return new ListingPage(inScope, page.nextCursor(), page.totalCount());
    }
    int slash = cursor.resourceType.indexOf('/');
    String resourceType = slash < 0 ? cursor.resourceType : cursor.resourceType.substring(0, slash);
    String deliveryType = slash < 0 ? null : cursor.resourceType.substring(slash + 1);
    return session
        .admin()
        .listResources(
            resourceType, deliveryType, config.prefix(), cursor.current, config.pageSize());
  }
}
