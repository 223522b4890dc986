package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/** The catalog's MapDB store with its write-ahead log mapped, on real files. */
class CatalogStoreTest {

  private static final int ENTRIES = 3000;

  @TempDir Path tmp;

  @Test
  void aCatalogWrittenByDbMakerOpensAndAfterMoreWritesOpensInDbMakerAgain() {
    Path file = tmp.resolve("catalog.db");
    try (DB older = dbMaker(file)) {
      fill(map(older), 0, ENTRIES);
      older.commit();
    }
    try (DB store = CatalogStore.open(file)) {
      HTreeMap<String, String> map = map(store);
      assertEntries(map, 0, ENTRIES);
      fill(map, ENTRIES, 2 * ENTRIES);
      store.commit();
    }
    try (DB older = dbMaker(file)) {
      assertEntries(map(older), 0, 2 * ENTRIES);
    }
  }

  /**
   * The files as a kill would leave them, copied while the store is open: committed writes are
   * there, the ones in the log since the last commit are not, whichever of the two opens the copy.
   */
  @Test
  void filesCopiedBetweenCommitsOpenWithTheCommittedWritesOnlyHereAndInDbMaker() throws Exception {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    try (DB store = CatalogStore.open(file)) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      fill(map, ENTRIES, ENTRIES + 500); // in the write-ahead log only
      assertTrue(Files.exists(Path.of(file + ".wal.0")), "the uncommitted writes are in the log");
      Path here = copyFiles(file.getParent(), tmp.resolve("copy-1"));
      Path there = copyFiles(file.getParent(), tmp.resolve("copy-2"));
      try (DB reopened = CatalogStore.open(here)) {
        assertEntries(map(reopened), 0, ENTRIES);
        assertEquals(ENTRIES, map(reopened).size());
      }
      try (DB older = dbMaker(there)) {
        assertEntries(map(older), 0, ENTRIES);
        assertEquals(ENTRIES, map(older).size());
      }
    }
  }

  /** The point of this class: the log's many small writes are memory writes, not system calls. */
  @Test
  void theWriteAheadLogIsMappedAndTheStoreIsNot() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
    Path file = tmp.resolve("catalog.db");
    try (DB store = CatalogStore.open(file)) {
      fill(map(store), 0, 100);
      String mapped = Files.readString(maps);
      assertTrue(mapped.contains(file + ".wal.0"), "the log is mapped");
      assertTrue(mapped.lines().noneMatch(l -> l.endsWith(file.toString())), "the store is not");
    }
  }

  private static DB dbMaker(Path file) {
    return DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
  }

  private static HTreeMap<String, String> map(DB db) {
    return db.hashMap("assets", Serializer.STRING, Serializer.STRING).layout(16, 128, 2).createOrOpen();
  }

  private static void fill(HTreeMap<String, String> map, int from, int to) {
    for (int i = from; i < to; i++) {
      map.put("key" + i, "value " + i + " ".repeat(i % 300));
    }
  }

  private static void assertEntries(HTreeMap<String, String> map, int from, int to) {
    for (int i = from; i < to; i++) {
      assertEquals("value " + i + " ".repeat(i % 300), map.get("key" + i), "key" + i);
    }
  }

  private static Path copyFiles(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to.resolve("catalog.db");
  }
}
