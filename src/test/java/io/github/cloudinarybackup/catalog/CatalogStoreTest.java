package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.mapdb.StoreWAL;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;

/** The catalog's MapDB store on real files: compatible with DBMaker's, and whole after a kill. */
class CatalogStoreTest {

  private static final int ENTRIES = 3000;
  private static final int MORE = 500;

  @TempDir Path tmp;

  @Test
  void aCatalogWrittenByDbMakerOpensAndAfterMoreWritesOpensInDbMakerAgain() throws IOException {
    Path file = tmp.resolve("catalog.db");
    try (DB older = dbMaker(file)) {
      fill(map(older), 0, ENTRIES);
      older.commit();
    }
    try (DB store = CatalogStore.open(file).db()) {
      HTreeMap<String, String> map = map(store);
      assertEntries(map, 0, ENTRIES);
      fill(map, ENTRIES, 2 * ENTRIES);
      store.commit();
    }
    try (DB older = dbMaker(file)) {
      assertEntries(map(older), 0, 2 * ENTRIES);
    }
  }

  /** Files copied while a transaction is open, as a kill between commits leaves them. */
  @Test
  void filesCopiedBetweenCommitsOpenWithTheCommittedWritesOnly() throws IOException {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    try (DB store = CatalogStore.open(file).db()) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      fill(map, ENTRIES, ENTRIES + MORE);
      try (Stream<Path> files = Files.list(file.getParent())) {
        assertTrue(
            files.noneMatch(f -> f.getFileName().toString().contains(".wal.")),
            "the write-ahead log stays in memory");
      }
      Path copy = copyFiles(file.getParent(), tmp.resolve("copy"));
      try (DB reopened = CatalogStore.open(copy).db()) {
        assertEntries(map(reopened), 0, ENTRIES);
        assertEquals(ENTRIES, map(reopened).size());
      }
    }
  }

  /**
   * Files copied while a commit is being written into the store, as a kill there leaves them (MapDB
   * alone could not read such a store): opening them completes the commit from the redo file.
   */
  @Test
  void aCommitCutShortInTheStoreIsCompletedWhenTheCatalogOpens() throws IOException {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    AtomicInteger stopAt = new AtomicInteger(-1);
    Path early = tmp.resolve("after-3-writes");
    Path late = tmp.resolve("after-400-writes");
    try (DB store =
        CatalogStore.open(
                file,
                i -> {
                  if (i == 3 && stopAt.get() == 3) {
                    copyFilesUnchecked(file.getParent(), early);
                  } else if (i == 400 && stopAt.get() == 400) {
                    copyFilesUnchecked(file.getParent(), late);
                  }
                })
            .db()) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      fill(map, ENTRIES, ENTRIES + MORE);
      stopAt.set(3);
      store.commit();
      fill(map, ENTRIES + MORE, ENTRIES + 2 * MORE);
      stopAt.set(400);
      store.commit();
    }
    assertTrue(
        Files.isDirectory(early) && Files.isDirectory(late), "both commits reached the store");
    for (Path copy : new Path[] {early.resolve("catalog.db"), late.resolve("catalog.db")}) {
      int committed = copy.startsWith(early) ? ENTRIES + MORE : ENTRIES + 2 * MORE;
      CatalogStore.Opened opened = CatalogStore.open(copy);
      try (DB reopened = opened.db()) {
        assertEntries(map(reopened), 0, committed);
        assertEquals(committed, map(reopened).size());
        assertTrue(opened.recovered(), copy + ": the cut-short commit was completed");
      }
      CatalogStore.Opened again = CatalogStore.open(copy);
      again.db().close();
      assertFalse(again.recovered(), "a completed commit is not applied again");
    }
  }

  /**
   * A kill while the redo file is being written: the store was not touched yet, the commit is lost.
   */
  @Test
  void anIncompleteRedoFileIsIgnoredAndTheStoreKeepsThePreviousCommit() throws IOException {
    Path killed = killedBeforeTheStoreIsWritten();
    Path redo = CatalogStore.redoFile(killed);
    try (FileChannel torn =
        FileChannel.open(redo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(16);
      torn.read(header, 0);
      long bodyLength =
          header.getLong(8); // after the magic; the file can be longer (an earlier, larger commit)
      torn.truncate(16 + 8 + bodyLength - 100);
    }
    CatalogStore.Opened opened = CatalogStore.open(killed);
    try (DB reopened = opened.db()) {
      assertFalse(opened.recovered());
      assertEntries(map(reopened), 0, ENTRIES);
      assertEquals(ENTRIES, map(reopened).size());
    }
  }

  /**
   * A kill before a commit reached the store, then another program (an older build, MapDB used
   * directly) commits to it: the redo file is no longer the store's, and applying it would damage
   * it.
   */
  @Test
  void aRedoFileIsNotAppliedToAStoreSomethingElseWroteToSince() throws IOException {
    Path killed = killedBeforeTheStoreIsWritten();
    try (DB other = dbMaker(killed)) {
      HTreeMap<String, String> map = map(other);
      for (int i = 0; i < 50; i++) {
        map.put("other" + i, "written by another program " + i);
      }
      other.commit();
    }
    CatalogStore.Opened opened = CatalogStore.open(killed);
    try (DB reopened = opened.db()) {
      HTreeMap<String, String> map = map(reopened);
      assertEntries(map, 0, ENTRIES);
      assertEquals("written by another program 49", map.get("other49"));
      assertEquals(ENTRIES + 50, map.size());
      assertFalse(opened.recovered(), "the redo file was set aside");
    }
  }

  /**
   * A kill while the file was being created, before its first commit: nothing to keep, a new store.
   */
  @Test
  void aStoreFileWithoutAHeaderIsStartedAgain() throws IOException {
    for (int size : new int[] {0, 3, 1 << 20}) {
      Path file = tmp.resolve("new-" + size + "/catalog.db");
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[size]);
      CatalogStore.Opened opened = CatalogStore.open(file);
      try (DB store = opened.db()) {
        fill(map(store), 0, 10);
        store.commit();
      }
      try (DB reopened = CatalogStore.open(file).db()) {
        assertEntries(map(reopened), 0, 10);
      }
    }
  }

  /**
   * MapDB 3.1 never reads a write-ahead log an earlier build left on disk; it goes, and nothing
   * else.
   */
  @Test
  void logFilesAnEarlierBuildLeftAreRemovedWhateverTheFileIsCalled() throws IOException {
    Path file = tmp.resolve("odd/catalog{[1].db");
    Files.createDirectories(file.getParent());
    try (DB older = dbMaker(file)) {
      fill(map(older), 0, 10);
      older.commit();
    }
    Files.write(Path.of(file + ".wal.0"), new byte[1024]);
    Files.writeString(file.resolveSibling("catalog{[1].db.notes"), "kept");
    try (DB store = CatalogStore.open(file).db()) {
      assertEntries(map(store), 0, 10);
    }
    assertFalse(Files.exists(Path.of(file + ".wal.0")));
    assertTrue(Files.exists(file.resolveSibling("catalog{[1].db.notes")));
  }

  /**
   * A read of the store while a commit's writes are held back (MapDB in the middle of its commit):
   * it sees those writes, in the order they were made, and writes nothing, neither to the store nor
   * to a redo file. (It used to apply the writes held so far, so a kill then left half a commit.)
   */
  @Test
  void aReadWhileACommitIsHeldBackSeesItsWritesAndWritesNothing() throws IOException {
    Path file = tmp.resolve("volume/store");
    Path redo = tmp.resolve("volume/store.redo");
    Files.createDirectories(file.getParent());
    Volume raw = FileChannelVol.FACTORY.makeVolume(file.toString(), false, 0L, 20, 0L, false);
    raw.ensureAvailable(4096);
    for (int i = 0; i < 64; i++) {
      raw.putLong(i * 8L, 0x0101010101010101L * i);
    }
    raw.sync();
    byte[] committed = Files.readAllBytes(file);
    RedoLoggedVolume volume = new RedoLoggedVolume(raw, redo, StoreHooks.NONE);
    volume.putLong(8, 0x1112131415161718L);
    volume.putData(
        12, new byte[] {0x21, 0x22, 0x23, 0x24, 0x25, 0x26}, 1, 4); // over the long's low half
    volume.putInt(100, 0x31323334);
    volume.putByte(101, (byte) 0x41);
    volume.clear(200, 208);
    volume.putData(300, ByteBuffer.wrap(new byte[] {0x51, 0x52}));

    byte[] expected = committed.clone();
    ByteBuffer.wrap(expected).putLong(8, 0x1112131415161718L);
    System.arraycopy(new byte[] {0x22, 0x23, 0x24, 0x25}, 0, expected, 12, 4);
    ByteBuffer.wrap(expected).putInt(100, 0x31323334);
    expected[101] = 0x41;
    Arrays.fill(expected, 200, 208, (byte) 0);
    expected[300] = 0x51;
    expected[301] = 0x52;
    ByteBuffer view = ByteBuffer.wrap(expected);
    assertEquals(view.getLong(0), volume.getLong(0));
    assertEquals(view.getLong(8), volume.getLong(8));
    assertEquals(view.getLong(12), volume.getLong(12));
    assertEquals(view.getInt(100), volume.getInt(100));
    assertEquals(view.getLong(200), volume.getLong(200));
    assertEquals(expected[301], volume.getByte(301));
    byte[] range = new byte[400];
    volume.getData(0, range, 0, range.length);
    assertArrayEquals(Arrays.copyOf(expected, 400), range);
    assertEquals(view.getLong(96), volume.getDataInput(96, 16).readLong());

    assertArrayEquals(
        committed, Files.readAllBytes(file), "nothing reached the store before the commit's end");
    assertFalse(Files.exists(redo), "nor a redo file");
    volume.sync();
    assertArrayEquals(expected, Files.readAllBytes(file), "the commit's end applies it all");
    volume.close();
  }

  /**
   * Another thread works on the store in the middle of a commit (here MapDB allocates a record id,
   * which reads the store without any of the locks a commit holds). The files as a kill then leaves
   * them hold the previous commit: the other thread waits for the commit to end, and a read of the
   * store in the middle of a commit applies nothing. (It used to apply the writes held so far, the
   * header and index values without their records: a kill then left a catalog whose records could
   * not be read.)
   */
  @Test
  void anotherThreadWorkingInTheMiddleOfACommitLeavesTheStoreAtThePreviousCommit()
      throws Exception {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    Path copy = tmp.resolve("mid-commit");
    AtomicReference<Runnable> atFirstRecord = new AtomicReference<>();
    StoreHooks hooks =
        new StoreHooks() {
          @Override
          public void held(int index, int size) {
            // past the header (index 0) and the 8-byte index values: the first record or free-space
            // page
            if (index > 0 && size > 8) {
              Runnable action = atFirstRecord.getAndSet(null);
              if (action != null) {
                action.run();
              }
            }
          }
        };
    Thread racer;
    try (DB store = CatalogStore.open(file, hooks).db()) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      for (int i = 0; i < MORE; i++) {
        map.remove("key" + i); // their record ids go onto MapDB's stack of free ids, in the store
      }
      store.commit();
      for (int i = MORE; i < ENTRIES; i++) {
        map.put("key" + i, "rewritten " + i); // other sizes: the records move
      }
      AtomicReference<Thread> started = new AtomicReference<>();
      atFirstRecord.set(
          () -> {
            started.set(raceWith(() -> store.getStore().put("racer", Serializer.STRING)));
            copyFilesUnchecked(file.getParent(), copy);
          });
      store.commit();
      racer = started.get();
      assertTrue(racer != null, "the commit held a record");
      racer.join();
      for (int i = MORE; i < ENTRIES; i++) {
        assertEquals("rewritten " + i, map.get("key" + i));
      }
    }
    CatalogStore.Opened opened = CatalogStore.open(copy.resolve("catalog.db"));
    try (DB reopened = opened.db()) {
      HTreeMap<String, String> map = map(reopened);
      assertEntries(map, MORE, ENTRIES);
      assertNull(map.get("key0"));
      assertEquals(ENTRIES - MORE, map.size());
    }
  }

  /**
   * Another thread allocates a record id just after a commit's header got its checksum and before
   * that header is written (MapDB allocates ids under a lock its commits do not take). The header
   * written must still match its checksum: it used not to, and a kill before the next commit left a
   * store MapDB refuses ("Header checksum broken", a DataCorruption).
   */
  @Test
  void aRecordIdAllocatedWhileACommitWritesItsHeaderLeavesAWholeHeader() throws Exception {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    Path copy = tmp.resolve("after-commit");
    AtomicReference<Runnable> atLogSynced = new AtomicReference<>();
    StoreHooks hooks =
        new StoreHooks() {
          @Override
          public void logSynced() {
            Runnable action = atLogSynced.getAndSet(null);
            if (action != null) {
              action.run();
            }
          }
        };
    try (DB store = CatalogStore.open(file, hooks).db()) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      fill(map, ENTRIES, ENTRIES + MORE);
      AtomicReference<Thread> started = new AtomicReference<>();
      atLogSynced.set(
          () -> started.set(raceWith(() -> store.getStore().put("racer", Serializer.STRING))));
      store.commit();
      started.get().join();
      // the files as a kill before the next commit leaves them
      copyFiles(file.getParent(), copy);
    }
    CatalogStore.Opened opened = CatalogStore.open(copy.resolve("catalog.db"));
    try (DB reopened = opened.db()) {
      assertEntries(map(reopened), 0, ENTRIES + MORE);
      assertEquals(ENTRIES + MORE, map(reopened).size());
    }
  }

  /**
   * A kill at any moment while a new catalog is being created (every write of each of its commits,
   * and just before the complete file is renamed into place) leaves files that open. MapDB writes a
   * new store's header before its name catalog (record 1): a kill between the two used to leave a
   * file MapDB could not open ("GetVoid: recid=1", MapDB issue 706).
   */
  @Test
  void aKillAtAnyMomentWhileACatalogIsCreatedLeavesFilesThatOpen() throws IOException {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    List<Path> copies = new ArrayList<>();
    AtomicBoolean creating = new AtomicBoolean(true);
    Runnable copyNow =
        () -> {
          if (creating.get()) {
            Path copy = tmp.resolve("creating-" + copies.size());
            copyFilesUnchecked(file.getParent(), copy);
            copies.add(copy.resolve("catalog.db"));
          }
        };
    StoreHooks hooks =
        new StoreHooks() {
          @Override
          public void beforeApplying(int index) {
            copyNow.run();
          }

          @Override
          public void created(Path temporary) {
            copyNow.run();
          }
        };
    try (DB store = CatalogStore.open(file, CatalogStoreTest::map, hooks).db()) {
      creating.set(false);
      fill(map(store), 0, 10);
      store.commit();
    }
    assertTrue(copies.size() > 3, "copies at " + copies.size() + " moments");
    for (Path copy : copies) {
      try (DB store = CatalogStore.open(copy, CatalogStoreTest::map, StoreHooks.NONE).db()) {
        assertEquals(0, map(store).size(), copy.toString());
        fill(map(store), 0, 10);
        store.commit();
      }
      try (DB reopened = CatalogStore.open(copy).db()) {
        assertEntries(map(reopened), 0, 10);
      }
    }
  }

  /** An older build killed between a new store's header and its first commit left such a file. */
  @Test
  void aStoreWithAHeaderButNoRecordIsStartedAgain() throws IOException {
    Path file = tmp.resolve("headed/catalog.db");
    Files.createDirectories(file.getParent());
    StoreWAL.Companion.make(
            file.toString(),
            FileChannelVol.FACTORY,
            0L,
            true,
            3,
            0L,
            0L,
            false,
            false,
            false,
            true,
            false)
        .close();
    assertTakesRecordsAndKeepsThem(file);
  }

  /** What a kill while a catalog was being created leaves: set aside and started again. */
  @Test
  void filesACreationCutShortLeftAreRemoved() throws IOException {
    Path file = tmp.resolve("left/catalog.db");
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling("catalog.db.new");
    Files.write(temporary, new byte[4096]);
    Files.write(CatalogStore.redoFile(temporary), new byte[100]);
    assertTakesRecordsAndKeepsThem(file);
    assertFalse(Files.exists(temporary));
    assertFalse(Files.exists(CatalogStore.redoFile(temporary)));
  }

  /** The catalog holds the account's asset list: only its owner may read it. */
  @Test
  void aNewCatalogAndItsRedoFileAreTheOwnersOnly() throws IOException {
    assumeTrue(
        tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path file = tmp.resolve("private/catalog.db");
    try (Catalog catalog = Catalog.open(file)) {
      catalog.startRun(Instant.parse("2026-11-30T10:00:00Z"));
    }
    for (String name : new String[] {"catalog.db", "catalog.db.redo", "catalog.db.lock"}) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file.resolveSibling(name))),
          name);
    }
  }

  /**
   * A catalog started here (its empty structure made under another name first) opens in DBMaker.
   */
  @Test
  void aCatalogCreatedHereOpensInDbMaker() throws IOException {
    Path file = tmp.resolve("new/catalog.db");
    try (Catalog catalog = Catalog.open(file)) {
      catalog.startRun(Instant.parse("2026-11-30T10:00:00Z"));
    }
    try (DB older = dbMaker(file)) {
      assertTrue(older.exists("assets") && older.exists("seen"), older.getAllNames().toString());
      assertEquals(
          "2026-11-30T10:00:00.000Z",
          older.hashMap("state", Serializer.STRING, Serializer.STRING).open().get("run.id"));
    }
  }

  /**
   * The files as a kill leaves them once a commit's redo file is written and forced, before any of
   * its writes reached the store: the store holds {@code ENTRIES}, the redo file {@code MORE} more.
   */
  private Path killedBeforeTheStoreIsWritten() throws IOException {
    Path file = tmp.resolve("live/catalog.db");
    Files.createDirectories(file.getParent());
    AtomicInteger stopAt = new AtomicInteger(-1);
    Path copy = tmp.resolve("copy");
    try (DB store =
        CatalogStore.open(
                file,
                i -> {
                  if (i == 0 && stopAt.get() == 0) {
                    copyFilesUnchecked(file.getParent(), copy);
                  }
                })
            .db()) {
      HTreeMap<String, String> map = map(store);
      fill(map, 0, ENTRIES);
      store.commit();
      fill(map, ENTRIES, ENTRIES + MORE);
      stopAt.set(0);
      store.commit();
    }
    return copy.resolve("catalog.db");
  }

  /**
   * Starts {@code action} on another thread and returns once it has ended or waits for a lock
   * (MapDB's or the store's): what a thread of the catalog does at that moment is then done.
   */
  private static Thread raceWith(Runnable action) {
    Thread thread = new Thread(action, "racer");
    thread.start();
    while (thread.isAlive()
        && !(thread.getState() == Thread.State.WAITING
            && LockSupport.getBlocker(thread) instanceof AbstractQueuedSynchronizer)) {
      Thread.yield();
    }
    return thread;
  }

  private static DB dbMaker(Path file) {
    return DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
  }

  private static HTreeMap<String, String> map(DB db) {
    return db.hashMap("assets", Serializer.STRING, Serializer.STRING)
        .layout(16, 128, 2)
        .createOrOpen();
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

  private static Path copyFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to.resolve("catalog.db");
  }

  private static void copyFilesUnchecked(Path from, Path to) {
    try {
      copyFiles(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store at {@code file} opens, takes records, and has them when it is opened again. */
  private static void assertTakesRecordsAndKeepsThem(Path file) throws IOException {
    try (DB store = CatalogStore.open(file).db()) {
      fill(map(store), 0, 10);
      store.commit();
    }
    try (DB reopened = CatalogStore.open(file).db()) {
      assertEntries(map(reopened), 0, 10);
    }
  }
}
