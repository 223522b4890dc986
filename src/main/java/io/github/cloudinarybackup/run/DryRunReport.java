package io.github.cloudinarybackup.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a dry run found: per resource type, the assets a real run would download (new or changed,
 * with their bytes), those already backed up, those without an original, and how many catalogued
 * assets the account no longer has.
 */
public final class DryRunReport {

  /** How a listed asset compares with the catalog. */
  public enum Change {
    NEW,
    CHANGED,
    UNCHANGED,
    /** Backed up, and a new layout or folder mode gives it another place: the file moves. */
    MOVED,
    NO_ORIGINAL
  }

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
  private final AtomicLong listedAndCatalogued = new AtomicLong();

  void count(String resourceType, Change change, long size, boolean catalogued) {
    counts.computeIfAbsent(resourceType + "/" + change, k -> new AtomicLong()).incrementAndGet();
    bytes.computeIfAbsent(resourceType + "/" + change, k -> new AtomicLong()).addAndGet(size);
    if (catalogued) {
      listedAndCatalogued.incrementAndGet();
    }
  }

  long count(String resourceType, Change change) {
    AtomicLong n = counts.get(resourceType + "/" + change);
    return n == null ? 0 : n.get();
  }

  private double megabytes(String resourceType, Change change) {
    AtomicLong n = bytes.get(resourceType + "/" + change);
    return n == null ? 0 : n.get() / 1e6;
  }

  /** Catalogued assets in scope that this listing did not find. */
  long deleted(long cataloguedInScope) {
    return Math.max(0, cataloguedInScope - listedAndCatalogued.get());
  }

  void print(PrintStream out, String cloud, List<String> resourceTypes, long cataloguedInScope) {
    out.printf("%nDry run of cloud '%s': nothing was downloaded or written%n", cloud);
    long files = 0;
    long moves = 0;
    double megabytes = 0;
    for (String type : resourceTypes) {
      out.printf(
          Locale.ROOT,
          "  %-6s new %,d (%,.1f MB), changed %,d (%,.1f MB), unchanged %,d, to move %,d, no original %,d%n",
          type,
          count(type, Change.NEW),
          megabytes(type, Change.NEW),
          count(type, Change.CHANGED),
          megabytes(type, Change.CHANGED),
          count(type, Change.UNCHANGED),
          count(type, Change.MOVED),
          count(type, Change.NO_ORIGINAL));
      moves += count(type, Change.MOVED);
      files += count(type, Change.NEW) + count(type, Change.CHANGED);
      megabytes += megabytes(type, Change.NEW) + megabytes(type, Change.CHANGED);
    }
    out.printf(
        Locale.ROOT,
        "  deleted %,d (catalogued, no longer in the account)%n",
        deleted(cataloguedInScope));
    out.printf(
        Locale.ROOT, "  a backup would download %,d originals, %,.1f MB%n", files, megabytes);
    if (moves > 0) {
      out.printf(
          Locale.ROOT,
          "  and move %,d files already backed up to the places the layout now gives them%n",
          moves);
    }
    out.flush();
  }
}
