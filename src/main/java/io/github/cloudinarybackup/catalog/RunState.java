package io.github.cloudinarybackup.catalog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * What the catalog remembers about runs, in its {@code state} map: the run in progress and where
 * each of its listings goes on, so a restart resumes; and what outlives a run (the last run id, a
 * rate-limit pause, the last manifest's stamp, an unfinished rebuild). The caller guards each use
 * and commits.
 */
final class RunState {

  private static final String RUN_ID = "run.id";
  private static final String CURSOR = "cursor.";
  private static final String LISTED = "listed.";
  private static final String RATE_LIMIT_PAUSE = "rate-limit.until";
  private static final String LAST_RUN_ID = "run.last-id";
  private static final String MANIFEST = "manifest.stamp";
  private static final String REBUILDING = "rebuild.unfinished";

  /** Fixed width, so that run ids order as strings; milliseconds, so that quick runs differ. */
  private static final DateTimeFormatter RUN_ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * A run just started.
   *
   * @param runId its id
   * @param previousManifest the stamp of the manifest the run before it wrote at its end, if it got
   *     there
   */
  record Started(String runId, ManifestStamp previousManifest) {}

  private final Map<String, String> state;

  RunState(Map<String, String> state) {
    this.state = state;
  }

  /**
   * Starts a run: forgets the cursors of the previous, finished one. Run ids order as strings and
   * each is later than every earlier one, even if the clock went back, so "seen in this run" is
   * exact.
   */
  Started start(Instant now) {
    String id = RUN_ID_FORMAT.format(now);
    String last = state.get(LAST_RUN_ID);
    if (last != null && id.compareTo(last) <= 0) {
      id = RUN_ID_FORMAT.format(Instant.from(RUN_ID_FORMAT.parse(last)).plusMillis(1));
    }
    // taken out until this run's end puts one back: a run that stops halfway leaves none, and the
    // next run writes the manifest in full
    ManifestStamp previous = ManifestStamp.fromJson(state.remove(MANIFEST));
    finish();
    state.put(RUN_ID, id);
    state.put(LAST_RUN_ID, id);
    return new Started(id, previous);
  }

  /**
   * The run is over: cursors and run id go; a rate-limit pause, the last run id, the manifest stamp
   * and an unfinished rebuild outlive it.
   */
  void finish() {
    String pause = state.get(RATE_LIMIT_PAUSE);
    String last = state.get(LAST_RUN_ID);
    String manifest = state.get(MANIFEST);
    String rebuilding = state.get(REBUILDING);
    state.clear();
    if (rebuilding != null) {
      state.put(REBUILDING, rebuilding);
    }
    if (manifest != null) {
      state.put(MANIFEST, manifest);
    }
    if (pause != null) {
      state.put(RATE_LIMIT_PAUSE, pause);
    }
    if (last != null) {
      state.put(LAST_RUN_ID, last);
    }
  }

  /** The run that has not finished yet, if a previous process stopped in the middle of one. */
  Optional<String> unfinishedRun() {
    return Optional.ofNullable(state.get(RUN_ID));
  }

  /** Whether any run has used this catalog. */
  boolean anyRun() {
    return state.containsKey(LAST_RUN_ID);
  }

  void rebuilding(boolean unfinished) {
    if (unfinished) {
      state.put(REBUILDING, "true");
    } else {
      state.remove(REBUILDING);
    }
  }

  boolean rebuilding() {
    return state.containsKey(REBUILDING);
  }

  void manifest(ManifestStamp stamp) {
    state.put(MANIFEST, stamp.toJson());
  }

  Optional<Instant> rateLimitPause() {
    return Optional.ofNullable(state.get(RATE_LIMIT_PAUSE)).map(Instant::parse);
  }

  void rateLimitPause(Instant until) {
    state.put(RATE_LIMIT_PAUSE, until.toString());
  }

  /** The cursor of the next page of a listing, or empty to start at its first page. */
  Optional<String> cursor(String listing) {
    return Optional.ofNullable(state.get(CURSOR + listing));
  }

  /** Whether a listing of the current run already went through its last page. */
  boolean listingComplete(String listing) {
    return state.containsKey(LISTED + listing);
  }

  /** Where a listing goes on; {@code null} marks it complete. */
  void cursor(String listing, String nextCursor) {
    if (nextCursor == null) {
      state.remove(CURSOR + listing);
      state.put(LISTED + listing, "true");
    } else {
      state.put(CURSOR + listing, nextCursor);
    }
  }
}
