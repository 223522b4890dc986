package io.github.cloudinarybackup.emulator;

import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Latency and fault injection, changeable while the emulator runs. Random faults come from one
 * seeded generator, so a sequential client sees the same faults on every run. "Delivery" settings
 * apply to both the download endpoint and delivery URLs.
 *
 * <p>Which fault a request gets: a per-asset fault ({@link #alwaysFail}) first, then a scheduled
 * one ({@link #failNext}), then a random one ({@link #adminFaultRate}, {@link #deliveryFaultRate}).
 * A request that gets a per-asset fault consumes neither the schedule nor a random draw.
 *
 * <p>To make every download and delivery misbehave one way, use {@code deliveryFaultRate(1, kind)};
 * the paces of the slow kinds are set by {@link #trickleBytesPerSecond(int)} and {@link
 * #endlessBodyBytesPerSecond(int)}. Besides the {@link FaultKind}s, the Admin listings can
 * misbehave through switches: {@link #repeatListCursor}, {@link #cycleListCursor} and {@link
 * #oversizedListPages}.
 */
public final class EmulatorFaults {

  /** How many bytes of filler {@link FaultKind#LONGER_BODY} appends to the real body. */
  public static final int LONGER_BODY_EXTRA_BYTES = 4096;

  private Duration adminLatency = Duration.ZERO;
  private Duration deliveryLatency = Duration.ZERO;
  private double adminRate;
  private List<FaultKind> adminKinds = List.of();
  private double deliveryRate;
  private List<FaultKind> deliveryKinds = List.of();
  private final Map<Kind, Deque<FaultKind>> scheduled = new EnumMap<>(Kind.class);
  private Random random = new Random(0);
  private boolean htmlUnauthorized;
  private final Map<String, FaultKind> perAsset = new LinkedHashMap<>();
  private int trickleBytesPerSecond = 1;
  private int endlessBodyBytesPerSecond;
  private boolean repeatListCursor;
  private int cycleListCursor;
  private int oversizedListPages;
  private final Map<Kind, FaultKind> periodicFault = new EnumMap<>(Kind.class);
  private final Map<Kind, int[]> periodicCount = new EnumMap<>(Kind.class);

  public synchronized EmulatorFaults adminLatency(Duration latency) {
    this.adminLatency = requireNonNegative(latency);
    return this;
  }

  /** Latency of the download endpoint and of delivery URLs. */
  public synchronized EmulatorFaults deliveryLatency(Duration latency) {
    this.deliveryLatency = requireNonNegative(latency);
    return this;
  }

  /**
   * Fails this fraction of Admin calls with one of {@code kinds}, chosen at random. A rate of 0
   * turns it off.
   */
  public synchronized EmulatorFaults adminFaultRate(double rate, FaultKind... kinds) {
    this.adminKinds = requireKinds(rate, kinds, Kind.ADMIN);
    this.adminRate = rate;
    return this;
  }

  /**
   * Fails this fraction of downloads and deliveries with one of {@code kinds}. {@code
   * MALFORMED_JSON} is refused.
   */
  public synchronized EmulatorFaults deliveryFaultRate(double rate, FaultKind... kinds) {
    this.deliveryKinds = requireKinds(rate, kinds, Kind.DELIVERY);
    this.deliveryRate = rate;
    return this;
  }

  /**
   * Fails the next {@code n} requests of {@code kind} (ADMIN, DOWNLOAD or DELIVERY) with {@code
   * fault}.
   */
  public synchronized EmulatorFaults failNext(Kind kind, int n, FaultKind fault) {
    Objects.requireNonNull(fault, "fault");
    if (kind == Kind.OTHER || n < 0) {
      throw new IllegalArgumentException("failNext needs ADMIN, DOWNLOAD or DELIVERY and n >= 0");
    }
    requireApplicable(fault, kind);
    Deque<FaultKind> queue = scheduled.computeIfAbsent(kind, k -> new ArrayDeque<>());
    for (int i = 0; i < n; i++) {
      queue.add(fault);
    }
    return this;
  }

  /**
   * Makes every download and delivery of the assets with this public_id (of any resource type and
   * delivery type) fail with {@code fault}, for as long as the setting stays, whatever the schedule
   * and the random rate say: one asset that can never be fetched while the others can. On the
   * download endpoint the asset is the one the {@code public_id} parameter names; on a delivery
   * URL, the asset the path resolves to (with or without format extension and version). The
   * signature is not looked at first: even an unsigned request for the asset fails with {@code
   * fault}. Calling it again for the same public_id replaces the kind. {@code MALFORMED_JSON} is
   * refused.
   */
  public synchronized EmulatorFaults alwaysFail(String publicId, FaultKind fault) {
    Objects.requireNonNull(publicId, "publicId");
    requireApplicable(Objects.requireNonNull(fault, "fault"), Kind.DELIVERY);
    perAsset.put(publicId, fault);
    return this;
  }

  /** Undoes {@link #alwaysFail} for this public_id. */
  public synchronized EmulatorFaults stopFailing(String publicId) {
    perAsset.remove(publicId);
    return this;
  }

  /** The public_ids {@link #alwaysFail} currently applies to, with their kinds. */
  public synchronized Map<String, FaultKind> alwaysFailing() {
    return Map.copyOf(perAsset);
  }

  /**
   * The pace of {@link FaultKind#TRICKLE} bodies, in bytes per second (at least 1; 1 by default).
   * Pieces of about a tenth of a second's worth (at least one byte) are written and flushed one
   * after another, never ahead of this pace. Applies to trickles that start after the call.
   */
  public synchronized EmulatorFaults trickleBytesPerSecond(int bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be >= 1: " + bytesPerSecond);
    }
    this.trickleBytesPerSecond = bytesPerSecond;
    return this;
  }

  /**
   * The pace of {@link FaultKind#ENDLESS_BODY} bodies in bytes per second, or 0 (the default) for
   * as fast as the client reads. Applies to endless bodies that start after the call.
   */
  public synchronized EmulatorFaults endlessBodyBytesPerSecond(int bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be >= 0: " + bytesPerSecond);
    }
    this.endlessBodyBytesPerSecond = bytesPerSecond;
    return this;
  }

  /**
   * Cursor-paged Admin listings ({@code GET resources/<type>[/<delivery type>]}, {@code
   * resources/by_asset_folder} and search) answer every request that carries a {@code next_cursor}
   * with that same cursor as their {@code next_cursor}, even on the last page; the first page (no
   * cursor) gets its real one. A client that follows the cursor is served page 2 forever. Stands
   * for a backend whose cursor does not advance (a bug after a reindex, a proxy cache keyed without
   * the query string). Takes precedence over {@link #cycleListCursor}. A listing that fits in one
   * page has no cursor to repeat.
   */
  public synchronized EmulatorFaults repeatListCursor(boolean value) {
    this.repeatListCursor = value;
    return this;
  }

  /**
   * Cursor-paged Admin listings go normally up to page {@code pages}, whose {@code next_cursor} is
   * then the one page 1 gave (the cursor to page 2) instead of its own, even when it is the last
   * page: a client that follows the cursors loops over pages 2 to {@code pages} forever. 0 turns it
   * off; otherwise at least 2. Page numbers travel inside the cursor, so the emulator keeps no
   * state per walk. A listing with fewer pages ends normally. Stands for a cursor that wraps around
   * to an earlier position (a backend that lost its place, a cursor reset by a failover) and is
   * only caught by noticing assets seen before.
   */
  public synchronized EmulatorFaults cycleListCursor(int pages) {
    if (pages != 0 && pages < 2) {
      throw new IllegalArgumentException("pages must be 0 (off) or >= 2: " + pages);
    }
    this.cycleListCursor = pages;
    return this;
  }

  /**
   * Cursor-paged Admin listings (as for {@link #repeatListCursor}) ignore {@code max_results} and
   * return up to {@code resources} resources a page ({@code Integer.MAX_VALUE}: the whole listing
   * in one page), still with a {@code next_cursor} when more follow. 0 (the default) turns it off.
   * Stands for a server that ignores or caps differently the requested page size: a client that
   * sized buffers, progress or batches by {@code max_results} must cope with far larger pages.
   */
  public synchronized EmulatorFaults oversizedListPages(int resources) {
    if (resources < 0) {
      throw new IllegalArgumentException("resources must be >= 0: " + resources);
    }
    this.oversizedListPages = resources;
    return this;
  }

  /**
   * Authentication failures of the Admin API answer with Cloudinary's HTML 401 page instead of
   * JSON.
   */
  public synchronized EmulatorFaults htmlUnauthorized(boolean value) {
    this.htmlUnauthorized = value;
    return this;
  }

  /** Restarts the random fault sequence from this seed. */
  public synchronized EmulatorFaults seed(long seed) {
    this.random = new Random(seed);
    return this;
  }

  /**
   * Removes all latency, faults and switches, restores the default paces and restarts the random
   * sequence from seed 0.
   */
  public synchronized EmulatorFaults clear() {
    adminLatency = Duration.ZERO;
    deliveryLatency = Duration.ZERO;
    adminRate = 0;
    deliveryRate = 0;
    adminKinds = List.of();
    deliveryKinds = List.of();
    scheduled.clear();
    htmlUnauthorized = false;
    random = new Random(0);
    perAsset.clear();
    trickleBytesPerSecond = 1;
    endlessBodyBytesPerSecond = 0;
    repeatListCursor = false;
    cycleListCursor = 0;
    oversizedListPages = 0;
    periodicFault.clear();
    periodicCount.clear();
    return this;
  }

  public synchronized Duration adminLatency() {
    return adminLatency;
  }

  public synchronized Duration deliveryLatency() {
    return deliveryLatency;
  }

  public synchronized boolean htmlUnauthorized() {
    return htmlUnauthorized;
  }

  public synchronized int trickleBytesPerSecond() {
    return trickleBytesPerSecond;
  }

  public synchronized int endlessBodyBytesPerSecond() {
    return endlessBodyBytesPerSecond;
  }

  public synchronized boolean repeatListCursor() {
    return repeatListCursor;
  }

  public synchronized int cycleListCursor() {
    return cycleListCursor;
  }

  public synchronized int oversizedListPages() {
    return oversizedListPages;
  }

  synchronized Duration latencyFor(Kind kind) {
    return switch (kind) {
      case ADMIN, UPLOAD -> adminLatency;
      case DOWNLOAD, DELIVERY -> deliveryLatency;
      case OTHER -> Duration.ZERO;
    };
  }

  /**
   * The fault to inject into this request, or null.
   *
   * @param publicId the public_id a download or delivery asks for, or null when none; only called
   *     when some per-asset fault is set
   */
  FaultKind faultFor(Kind kind, Supplier<String> publicId) {
    if ((kind == Kind.DOWNLOAD || kind == Kind.DELIVERY) && hasPerAssetFaults()) {
      // Resolved outside the lock: it parses the request and looks the asset up.
      String id = publicId.get();
      FaultKind fault = id == null ? null : perAssetFault(id);
      if (fault != null) {
        return fault;
      }
    }
    return nextFault(kind);
  }

  private synchronized boolean hasPerAssetFaults() {
    return !perAsset.isEmpty();
  }

  private synchronized FaultKind perAssetFault(String publicId) {
    return perAsset.get(publicId);
  }

  /**
   * Makes every {@code period}-th request of {@code kind} fail with {@code fault}, for as long as
   * the setting stays: with 2, each call that fails goes through on its first retry, and the
   * failures add up over a run far beyond any retry limit. 0 turns it off.
   */
  public synchronized EmulatorFaults failEvery(Kind kind, int period, FaultKind fault) {
    if (kind == Kind.OTHER || period < 0) {
      throw new IllegalArgumentException(
          "failEvery needs ADMIN, DOWNLOAD or DELIVERY and period >= 0");
    }
    requireApplicable(Objects.requireNonNull(fault, "fault"), kind);
    if (period == 0) {
      periodicFault.remove(kind);
      periodicCount.remove(kind);
    } else {
      periodicFault.put(kind, fault);
      periodicCount.put(kind, new int[] {period, 0});
    }
    return this;
  }

  /** The scheduled or random fault to inject into this request, or null. */
  synchronized FaultKind nextFault(Kind kind) {
    Deque<FaultKind> queue = scheduled.get(kind);
    if (queue != null && !queue.isEmpty()) {
      return queue.poll();
    }
    int[] periodic = periodicCount.get(kind);
    if (periodic != null && ++periodic[1] % periodic[0] == 0) {
      return periodicFault.get(kind);
    }
    // random faults hit the Admin API and downloads; uploads fail only when scheduled
    double rate =
        kind == Kind.ADMIN
            ? adminRate
            : kind == Kind.OTHER || kind == Kind.UPLOAD ? 0 : deliveryRate;
    List<FaultKind> kinds = kind == Kind.ADMIN ? adminKinds : deliveryKinds;
    if (rate <= 0 || random.nextDouble() >= rate) {
      return null;
    }
    return kinds.get(random.nextInt(kinds.size()));
  }

  private static List<FaultKind> requireKinds(double rate, FaultKind[] kinds, Kind target) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within [0, 1]: " + rate);
    }
    if (rate > 0 && kinds.length == 0) {
      throw new IllegalArgumentException("name at least one FaultKind");
    }
    for (FaultKind kind : kinds) {
      requireApplicable(Objects.requireNonNull(kind, "kind"), target);
    }
    return List.of(kinds);
  }

  private static void requireApplicable(FaultKind fault, Kind kind) {
    if (fault == FaultKind.MALFORMED_JSON && kind != Kind.ADMIN) {
      throw new IllegalArgumentException("MALFORMED_JSON applies to the Admin API only");
    }
  }

  private static Duration requireNonNegative(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0: " + latency);
    }
    return latency;
  }
}
