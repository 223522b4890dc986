package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the catalog remembers about runs: what a run starts with, and what outlives it. */
class RunStateTest {

  private final Map<String, String> map = new HashMap<>();
  private final RunState state = new RunState(map);

  @Test
  void runIdsOrderAsStringsEvenWhenTheClockGoesBack() {
    String first = state.start(Instant.parse("2026-12-01T10:00:00Z")).runId();
    state.finish();
    String second = state.start(Instant.parse("2026-12-01T09:00:00Z")).runId();
    assertEquals("2026-12-01T10:00:00.000Z", first);
    assertEquals("2026-12-01T10:00:00.001Z", second);
    assertTrue(second.compareTo(first) > 0);
  }

  @Test
  void aListingGoesOnFromItsCursorUntilItsLastPage() {
    state.start(Instant.parse("2026-12-01T10:00:00Z"));
    assertEquals(Optional.empty(), state.cursor("image/upload"));
    state.cursor("image/upload", "c2");
    assertEquals(Optional.of("c2"), state.cursor("image/upload"));
    assertFalse(state.listingComplete("image/upload"));
    state.cursor("image/upload", null);
    assertEquals(Optional.empty(), state.cursor("image/upload"));
    assertTrue(state.listingComplete("image/upload"));
    assertFalse(state.listingComplete("video/upload"));
  }

  @Test
  void aRunsEndForgetsItsCursorsAndKeepsWhatOutlivesIt() {
    ManifestStamp stamp = new ManifestStamp("resource-types=image", 3, Map.of());
    state.start(Instant.parse("2026-12-01T10:00:00Z"));
    state.cursor("image/upload", "c2");
    state.rateLimitPause(Instant.parse("2026-12-01T11:00:00Z"));
    state.manifest(stamp);
    state.rebuilding(true);
    state.finish();
    assertEquals(Optional.empty(), state.unfinishedRun());
    assertEquals(Optional.empty(), state.cursor("image/upload"));
    assertEquals(Optional.of(Instant.parse("2026-12-01T11:00:00Z")), state.rateLimitPause());
    assertTrue(state.rebuilding());
    assertTrue(state.anyRun());
    // the next run takes the stamp out: a run that stops halfway leaves none
    assertEquals(stamp, state.start(Instant.parse("2026-12-01T12:00:00Z")).previousManifest());
    assertNull(state.start(Instant.parse("2026-12-01T13:00:00Z")).previousManifest());
  }

  @Test
  void anUnfinishedRunIsTheOneStartedAndNotFinished() {
    assertFalse(state.anyRun());
    String id = state.start(Instant.parse("2026-12-01T10:00:00Z")).runId();
    assertEquals(Optional.of(id), state.unfinishedRun());
    state.finish();
    assertEquals(Optional.empty(), state.unfinishedRun());
  }
}
