package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.bench.CatalogBenchmark;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments of a process writing catalog records as fast as it can (commits as in a
 * backup), then the catalog opened and every record read as the next run would. The moments are
 * uniform in [0, 3000] ms after the process starts, whatever the JVM takes to start here: from
 * before the catalog exists, through its creation, to well into the writing. The last kill waits
 * until records are being written, so that one kill at least lands there on any machine.
 *
 * <p>The moments come from a seed, printed; {@code -Dit.seed=...} repeats them.
 */
class CatalogKillIT {

  private static final int KILLS = 12;

  /** Where the test classes are, CatalogBenchmark among them. */
  private static final Path BENCH_CLASSES = classesOf(CatalogBenchmark.class);

  private static final int MAX_DELAY_MS = 3000;

  /** A catalog past this size has records committed in it (a new one is one MapDB page, 1 MB). */
  private static final long WRITING = 3L << 20;

  @TempDir Path tmp;

  @Test
  void everyCatalogAKillLeavesOpensAndReadsInFull() throws Exception {
    long seed = Long.getLong("it.seed", System.nanoTime());
    System.out.println(
        "CatalogKillIT: seed " + seed + " (-Dit.seed=" + seed + " repeats these kill moments)");
    Random random = new Random(seed);
    Map<String, Integer> landed = new TreeMap<>();
    List<String> outcomes = new ArrayList<>();
    for (int kill = 0; kill < KILLS; kill++) {
      Path dir = Files.createDirectories(tmp.resolve("kill-" + kill));
      JarProcess writer =
          JarProcess.start(
              dir,
              Map.of(),
              "-Djava.io.tmpdir=" + dir,
              "-XX:TieredStopAtLevel=1",
              "-cp",
              // the bench programs are test classes, not shipped in the jar
              JarProcess.JAR + File.pathSeparator + BENCH_CLASSES,
              "io.github.cloudinarybackup.bench.CatalogBenchmark",
              "1000000",
              "2");
      int delay = random.nextInt(MAX_DELAY_MS + 1);
      String moment = delay + " ms";
      if (kill == KILLS - 1) {
        awaitWriting(dir, writer);
        delay = random.nextInt(500);
        moment = "records being written, then " + delay + " ms";
      }
      Thread.sleep(delay);
      writer.kill();
      Optional<Path> made = catalogDir(dir);
      Path file = made.orElse(dir.resolve("never-made")).resolve("catalog.db");
      String where =
          Files.exists(file)
              ? "created"
              : Files.exists(file.resolveSibling("catalog.db.new"))
                  ? "during creation"
                  : "before creation";
      long records;
      try (Catalog catalog = Catalog.open(file)) {
        long[] read = {0};
        catalog.forEach(
            r -> {
              assertEquals("bench", r.runId());
              read[0]++;
            });
        assertEquals(read[0], catalog.size());
        records = read[0];
        catalog.closeWithoutCommit();
      } catch (CatalogUnusableException e) {
        throw new AssertionError(
            "kill " + kill + " (" + moment + ", seed " + seed + "): " + e.getMessage(), e);
      }
      if (where.equals("created")) {
        where = records == 0 ? "created, no record yet" : "writing";
      }
      landed.merge(where, 1, Integer::sum);
      outcomes.add(moment + ": " + where + ", " + records + " records");
    }
    System.out.println(
        "kill -9 of a catalog writer, "
            + KILLS
            + " times (seed "
            + seed
            + "), every catalog readable: "
            + landed
            + "; "
            + outcomes);
    assertTrue(landed.containsKey("writing"), "a kill came while records were being written");
  }

  /** The folder CatalogBenchmark made for its catalog, once it made it. */
  private static Optional<Path> catalogDir(Path dir) throws IOException {
    try (Stream<Path> made = Files.list(dir)) {
      return made.filter(
              f -> f.getFileName().toString().startsWith("catalog-bench") && Files.isDirectory(f))
          .findFirst();
    }
  }

  /**
   * Until the writer's catalog has records committed in it: however long its JVM takes to start.
   */
  private static void awaitWriting(Path dir, JarProcess writer) throws Exception {
    while (true) {
      Optional<Path> made = catalogDir(dir);
      Path file = made.map(d -> d.resolve("catalog.db")).orElse(null);
      if (file != null && Files.exists(file) && Files.size(file) > WRITING) {
        return;
      }
      if (!writer.alive()) {
        throw new AssertionError("the writer ended before writing: " + writer.kill());
      }
      Thread.sleep(10);
    }
  }

  private static Path classesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
