package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments of a process writing catalog records as fast as it can (commits as in a
 * backup), then the catalog opened and every record read as the next run would. Before the store
 * got its redo file, a quarter of such kills left a catalog MapDB could not read (bench/kill.sh), so
 * twelve kills without one would then have happened 3 times in 100.
 */
class CatalogKillIT {

  private static final int KILLS = 12;

  @TempDir Path tmp;

  @Test
  void everyCatalogAKillLeavesOpensAndReadsInFull() throws Exception {
    Random random = new Random();
    List<String> outcomes = new ArrayList<>();
    for (int kill = 0; kill < KILLS; kill++) {
      Path dir = Files.createDirectories(tmp.resolve("kill-" + kill));
      JarProcess writer = JarProcess.start(dir, Map.of(), "-Djava.io.tmpdir=" + dir, "-XX:TieredStopAtLevel=1",
          "-cp", JarProcess.JAR.toString(), "io.github.cloudinarybackup.bench.CatalogBenchmark", "1000000", "2");
      // past the JVM's start, into the writing (about 20,000 records a second)
      Thread.sleep(800 + random.nextInt(1500));
      writer.kill();
      Path file;
      try (Stream<Path> made = Files.list(dir)) {
        file = made.filter(Files::isDirectory).findFirst().orElseThrow().resolve("catalog.db");
      }
      try (Catalog catalog = Catalog.open(file)) {
        long[] records = {0};
        catalog.forEach(r -> {
          assertEquals("bench", r.runId());
          records[0]++;
        });
        assertEquals(records[0], catalog.size());
        outcomes.add(records[0] + " records");
        catalog.closeWithoutCommit();
      }
    }
    System.out.println("kill -9 of a catalog writer, " + KILLS + " times: every catalog readable: " + outcomes);
    assertTrue(outcomes.stream().anyMatch(o -> !o.startsWith("0 ")), "the kills came while records were being written");
  }
}
