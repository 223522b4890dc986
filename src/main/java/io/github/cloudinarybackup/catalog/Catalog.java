package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's memory: a MapDB file with transactions ({@link CatalogStore}), so a crash or a kill
 * loses at most the changes since the last commit. A file MapDB cannot read (a disk fault, a file
 * edited by hand) is reported as damage ({@link CatalogUnusableException}), never passed off as an
 * ordinary failure.
 *
 * <ul>
 *   <li>{@code assets}: asset key → {@link AssetRecord} as JSON, LZF-compressed ({@link RecordCompression}; JSON shrinks to about
 *       60 %);
 *   <li>{@code seen}: the last run that listed an asset whose record it did not need to rewrite;
 *   <li>{@code paths}: the path claims of {@link io.github.cloudinarybackup.layout.PathAllocator};
 *   <li>{@code state}: the run in progress and the cursor of each listing, so a restart resumes; the
 *       {@link ManifestStamp} of the last full manifest pass.
 * </ul>
 */
public final class Catalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String RUN_ID = "run.id";
  private static final String CURSOR = "cursor.";
  private static final String LISTED = "listed.";
  private static final String RATE_LIMIT_PAUSE = "rate-limit.until";
  private static final String LAST_RUN_ID = "run.last-id";
  private static final String MANIFEST = "manifest.stamp";
  /** Fixed width, so that run ids order as strings; milliseconds, so that quick runs differ. */
  private static final DateTimeFormatter RUN_ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long COMMIT_INTERVAL_NANOS = 250_000_000L;
  /** ... or after this many completions, whichever comes first: a crash loses little at any speed. */
  private static final int COMMIT_EVERY = 64;
  /**
   * A batch this large is written and committed at once rather than at the next commit: memory stays
   * bounded, here and in MapDB, which stages a transaction in memory ({@link CatalogStore}).
   */
  private static final int FLUSH_AT = 1000;
  /** Ends the stream of records from the reader thread of {@link #forEach}; compared by identity. */
  private static final Stored END_OF_RECORDS = new Stored(null, null);

  private final Path file;
  private final DB db;
  private final HTreeMap<String, byte[]> assets;
  private final HTreeMap<String, String> paths;
  private final HTreeMap<String, String> state;
  private final HTreeMap<String, String> seen;
  private volatile long lastCommit = System.nanoTime();
  /**
   * Records put since the last flush, by key: the download threads only serialise and park them
   * here; one thread at a time writes a whole batch into MapDB, whose transactional store does not
   * take concurrent writers well. Reads look here first. ("Seen" marks are small and go straight in.)
   */
  private final ConcurrentHashMap<String, byte[]> pendingAssets = new ConcurrentHashMap<>();
  private final Object flushLock = new Object();
  /** Writes and commits the batches, so download threads never wait on MapDB. */
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "catalog-writer");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean commitQueued = new AtomicBoolean();
  /** Completions reported since the last commit began. */
  private final AtomicInteger sinceCommit = new AtomicInteger();
  /** What the last full manifest pass found, if the run before this one got to its end. */
  private volatile ManifestStamp previousManifest;
  /** Records put since this process started its run. */
  private final AtomicLong writtenThisRun = new AtomicLong();
  /** Assets marked seen by this run (each counted once). */
  private final AtomicLong seenThisRun = new AtomicLong();
  /** Held while the catalog is open: one backup per catalog at a time. */
  private final FileChannel lock;

  private Catalog(Path file, DB db, FileChannel lock) {
    this.file = file;
    this.db = db;
    this.lock = lock;
    Maps maps = Maps.of(db);
    this.assets = maps.assets();
    this.paths = maps.paths();
    this.state = maps.state();
    this.seen = maps.seen();
  }

  /**
   * The catalog's maps, created if the file has none yet: a new catalog file gets them committed
   * before it is renamed into place ({@link CatalogStore}); a catalog from before a map existed gets
   * it at its next commit.
   */
  private record Maps(
      HTreeMap<String, byte[]> assets,
      HTreeMap<String, String> paths,
      HTreeMap<String, String> state,
      HTreeMap<String, String> seen) {

    static Maps of(DB db) {
      return new Maps(
          perAsset(db, "assets", RecordCompression.STORED_AS_IS),
          perAsset(db, "paths", Serializer.STRING),
          db.hashMap("state", Serializer.STRING, Serializer.STRING).createOrOpen(),
          perAsset(db, "seen", Serializer.STRING));
    }
  }

  /**
   * A map with an entry per asset, on a shallower index than MapDB's default (8 segments, 4 levels
   * of 128): each write reads and rewrites two index levels instead of four, and 262,144 buckets
   * still hold millions of assets. MapDB keeps a map's layout in the file, so a catalog created
   * before keeps its own.
   */
  private static <V> HTreeMap<String, V> perAsset(DB db, String name, Serializer<V> values) {
    return db.hashMap(name, Serializer.STRING, values).layout(16, 128, 2).createOrOpen();
  }

  /**
   * Opens (or creates) the catalog file, creating its folder.
   *
   * @throws CatalogUnusableException when the file is damaged or another process has it open; the
   *     file is left as it was (once a commit a killed process cut short is completed)
   */
  public static Catalog open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel lockChannel =
        FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), CatalogStore.ownerOnly(lockFile));
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new CatalogUnusableException(file, "another backup is using it", false, null);
    }
    try {
      return open(file, lockChannel);
    } catch (RuntimeException | IOException e) {
      lockChannel.close();
      throw e;
    }
  }

  private static Catalog open(Path file, FileChannel lock) throws IOException {
    Path verdict = damageMarker(file);
    if (Files.exists(verdict)) {
      throw new CatalogUnusableException(file, "an earlier run found it damaged (" + readQuietly(verdict) + ")", true, null);
    }
    DB db;
    try {
      CatalogStore.Opened opened = CatalogStore.open(file, Maps::of, StoreHooks.NONE);
      if (opened.recovered()) {
        LOG.info("The catalog's last commit had been cut short (the process was stopped); it is now complete");
      }
      db = opened.db();
    } catch (DBException | IllegalStateException | IndexOutOfBoundsException | UnsupportedOperationException e) {
      throw new CatalogUnusableException(file, "it is damaged (" + e.getClass().getSimpleName() + ")", true, e);
    }
    try {
      return new Catalog(file, db, lock);
    } catch (RuntimeException e) {
      db.close();
      throw new CatalogUnusableException(file, "it is damaged (" + e.getClass().getSimpleName() + ")", true, e);
    }
  }

  /** The asset's record; its runId is the last run that listed it, "seen" marks included. */
  public Optional<AssetRecord> get(String key) {
    try {
      byte[] stored = pendingAssets.get(key);
      if (stored == null) {
        stored = assets.get(key);
      }
      return stored == null ? Optional.empty() : Optional.of(read(RecordCompression.decompress(stored), seen.get(key)));
    } catch (RuntimeException e) {
      throw damaged(e);
    }
  }

  public void put(AssetRecord record) {
    writtenThisRun.incrementAndGet();
    pendingAssets.put(record.key(), RecordCompression.compress(toJson(record)));
    if (pendingAssets.size() >= FLUSH_AT) {
      commit();
    }
  }

  /**
   * Notes that a run listed an asset whose record did not change, without rewriting the record: a
   * no-op run costs one small write per asset instead of a full one.
   */
  public void markSeen(String key, String runId) {
    String before;
    try {
      before = seen.put(key, runId);
    } catch (RuntimeException e) {
      throw damaged(e);
    }
    if (!runId.equals(before)) {
      seenThisRun.incrementAndGet();
    }
  }

  /**
   * Visits every record (as {@link #get} returns it) without loading them all at once. Reading the
   * records and their "seen" marks out of MapDB is half the work: a helper thread does it while this
   * one parses and visits, with a bounded queue between them.
   */
  public void forEach(Consumer<AssetRecord> visitor) {
    flush();
    BlockingQueue<Stored> queue = new ArrayBlockingQueue<>(1024);
    AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (Map.Entry<String, byte[]> entry : assets.entrySet()) {
                  queue.put(new Stored(RecordCompression.decompress(entry.getValue()), seen.get(entry.getKey())));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                readFailure.set(damaged(e));
              } finally {
                try {
                  queue.put(END_OF_RECORDS);
                } catch (InterruptedException e) {
                  // the visitor stopped and interrupted this thread: nobody waits for the end
                }
              }
            },
            "catalog-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      for (Stored stored = take(queue); stored != END_OF_RECORDS; stored = take(queue)) {
        AssetRecord record;
        try {
          record = read(stored.json(), stored.seenRun());
        } catch (RuntimeException e) {
          throw damaged(e);
        }
        visitor.accept(record);
      }
    } finally {
      reader.interrupt();
    }
    if (readFailure.get() != null) {
      throw readFailure.get();
    }
  }

  private static Stored take(BlockingQueue<Stored> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the catalog", e);
    }
  }

  public int size() {
    flush();
    return assets.size();
  }

  /** The persistent claims the path allocator works on. */
  public ConcurrentMap<String, String> pathClaims() {
    return paths;
  }

  /** The run that has not finished yet, if a previous process stopped in the middle of one. */
  public Optional<String> unfinishedRun() {
    return Optional.ofNullable(state.get(RUN_ID));
  }

  /**
   * Starts a run: forgets the cursors of the previous, finished one. Run ids order as strings and
   * each is later than every earlier one, even if the clock went back, so "seen in this run" is exact.
   *
   * @return the new run's id
   */
  public String startRun(Instant now) {
    String runId = RUN_ID_FORMAT.format(now);
    String last = state.get(LAST_RUN_ID);
    if (last != null && runId.compareTo(last) <= 0) {
      runId = RUN_ID_FORMAT.format(Instant.from(RUN_ID_FORMAT.parse(last)).plusMillis(1));
    }
    // taken out until this run's end puts one back: a run that stops halfway leaves none, and the
    // next run writes the manifest in full
    previousManifest = ManifestStamp.fromJson(state.remove(MANIFEST));
    writtenThisRun.set(0);
    seenThisRun.set(0);
    clearRunState();
    state.put(RUN_ID, runId);
    state.put(LAST_RUN_ID, runId);
    commit();
    return runId;
  }

  /** The run is over: nothing is left to resume. */
  public void finishRun() {
    clearRunState();
    commit();
  }

  /** Cursors and run id go; a rate-limit pause, the last run id and the manifest stamp outlive the run. */
  private void clearRunState() {
    String pause = state.get(RATE_LIMIT_PAUSE);
    String last = state.get(LAST_RUN_ID);
    String manifest = state.get(MANIFEST);
    state.clear();
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

  /**
   * The manifest stamp the run before this one left, if it got to its end, and what this run did
   * since: together they say whether the manifest can stay as it is.
   */
  public Optional<ManifestStamp> previousManifest() {
    return Optional.ofNullable(previousManifest);
  }

  /** Records put since this process started its run (0: the run changed no record). */
  public long recordsWrittenThisRun() {
    return writtenThisRun.get();
  }

  /** Distinct assets this process's run marked seen, i.e. found unchanged. */
  public long assetsSeenThisRun() {
    return seenThisRun.get();
  }

  /** Remembers what the manifest just written (or left as it was) holds. Commits. */
  public void saveManifest(ManifestStamp stamp) {
    state.put(MANIFEST, stamp.toJson());
    commit();
  }

  /** Until when Cloudinary asked us not to call the Admin API, if it did. */
  public Optional<java.time.Instant> rateLimitPause() {
    return Optional.ofNullable(state.get(RATE_LIMIT_PAUSE)).map(java.time.Instant::parse);
  }

  /** Remembers a rate-limit pause across restarts. Commits. */
  public void saveRateLimitPause(java.time.Instant until) {
    state.put(RATE_LIMIT_PAUSE, until.toString());
    commit();
  }

  /** The cursor of the next page of a listing, or empty to start at its first page. */
  public Optional<String> cursor(String listing) {
    return Optional.ofNullable(state.get(CURSOR + listing));
  }

  /** Whether a listing of the current run already went through its last page. */
  public boolean listingComplete(String listing) {
    return state.containsKey(LISTED + listing);
  }

  /** Remembers where a listing goes on; {@code null} marks it complete. Commits. */
  public void saveCursor(String listing, String nextCursor) {
    if (nextCursor == null) {
      state.remove(CURSOR + listing);
      state.put(LISTED + listing, "true");
    } else {
      state.put(CURSOR + listing, nextCursor);
    }
    commit();
  }

  public void commit() {
    sinceCommit.set(0);
    flush();
    synchronized (this) {
      db.commit();
      lastCommit = System.nanoTime();
    }
  }

  /** Lets a queued commit finish; a commit waiting for this lock would find the catalog closed. */
  private void stopWriter() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes the parked records and marks into MapDB (not yet committed). */
  private void flush() {
    synchronized (flushLock) {
      try {
        drain(pendingAssets, assets);
      } catch (RuntimeException e) {
        throw damaged(e);
      }
    }
  }

  /**
   * Beside the catalog, the verdict of a run that found it damaged: the next run stops at once with
   * the way out instead of failing halfway again, and the damaged file itself is never written to.
   */
  public static Path damageMarker(Path file) {
    return file.resolveSibling(file.getFileName() + ".damaged");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "unreadable verdict";
    }
  }

  /**
   * A failure inside MapDB or in a stored record while the catalog is in use: its structures are
   * damaged (a disk fault, a file changed by hand). An I/O error (disk full, say) is not damage and is
   * passed on.
   */
  private RuntimeException damaged(RuntimeException e) {
    if (e instanceof CatalogUnusableException
        || e instanceof DBException.VolumeIOError
        || e instanceof DBException.VolumeClosed
        || e instanceof DBException.Interrupted) {
      return e;
    }
    CatalogUnusableException damage = CatalogUnusableException.damagedInUse(file, e);
    try {
      Files.writeString(damageMarker(file), damage.getCause().toString() + "\n");
    } catch (IOException notWritten) {
      LOG.warn("cannot note that the catalog is damaged: {}", notWritten.getMessage());
    }
    return damage;
  }

  /** A newer value put meanwhile stays parked for the next flush. */
  private static <V> void drain(ConcurrentHashMap<String, V> pending, HTreeMap<String, V> target) {
    for (Map.Entry<String, V> entry : pending.entrySet()) {
      target.put(entry.getKey(), entry.getValue());
      pending.remove(entry.getKey(), entry.getValue());
    }
  }

  /**
   * Has the catalog-writer thread commit once a quarter second has passed or 64 completions were
   * reported since the last commit: completions are batched, and a crash forgets at most that much
   * work, which the next run redoes. The download threads never wait on MapDB.
   */
  public void commitSoon() {
    boolean due = sinceCommit.incrementAndGet() >= COMMIT_EVERY || System.nanoTime() - lastCommit > COMMIT_INTERVAL_NANOS;
    if (due && commitQueued.compareAndSet(false, true)) {
      try {
        writer.execute(
            () -> {
              try {
                if (!db.isClosed()) {
                  commit();
                }
              } catch (RuntimeException e) {
                // the next commit (every page's cursor commits) reports it to the run
                LOG.warn("catalog commit failed: {}", e.getMessage());
              } finally {
                commitQueued.set(false);
              }
            });
      } catch (RejectedExecutionException closed) {
        commitQueued.set(false); // the catalog is closing: its close commits
      }
    }
  }

  /** Closes without keeping anything written since the last commit (a dry run writes nothing). */
  public synchronized void closeWithoutCommit() {
    stopWriter();
    pendingAssets.clear();
    if (!db.isClosed()) {
      db.rollback();
      db.close();
    }
    releaseLock();
  }

  @Override
  public synchronized void close() {
    stopWriter();
    if (!db.isClosed()) {
      flush();
      db.commit();
      db.close();
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      lock.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  /** A record with the last run that only saw it, if any. */
  private static AssetRecord read(String json, String seenRun) {
    AssetRecord record = fromJson(json);
    return seenRun != null && seenRun.compareTo(record.runId()) > 0 ? record.seenIn(seenRun) : record;
  }

  /** A record as the catalog stores it (before compression). */
  static String toJson(AssetRecord record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the record of " + record.key(), e);
    }
  }

  static AssetRecord fromJson(String json) {
    try {
      return JSON.readValue(json, AssetRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record", e);
    }
  }

  /** A record as stored, decompressed, with its "seen" mark. */
  private record Stored(String json, String seenRun) {}
}
