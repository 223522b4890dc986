package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MapDB file on disk. */
class CatalogTest {

  @TempDir Path tmp;

  @Test
  void runIdsOrderAsStringsAndNeverRepeatEvenWhenRunsStartInTheSameMillisecondOrTheClockGoesBack() throws Exception {
    Instant now = Instant.parse("2026-11-24T02:41:12Z");
    try (Catalog catalog = Catalog.open(tmp.resolve("catalog.db"))) {
      String first = catalog.startRun(now);
      assertEquals("2026-11-24T02:41:12.000Z", first, "fixed width, milliseconds");
      catalog.finishRun();
      String second = catalog.startRun(now);
      assertEquals("2026-11-24T02:41:12.001Z", second);
      catalog.finishRun();
      String third = catalog.startRun(now.minusSeconds(3600));
      assertTrue(third.compareTo(second) > 0, third);
      String later = catalog.startRun(now.plusMillis(100));
      assertEquals("2026-11-24T02:41:12.100Z", later);
    }
    // the last id outlives the process
    try (Catalog reopened = Catalog.open(tmp.resolve("catalog.db"))) {
      assertTrue(reopened.startRun(now).compareTo("2026-11-24T02:41:12.100Z") > 0);
    }
  }
}
