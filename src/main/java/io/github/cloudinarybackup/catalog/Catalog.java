package io.github.cloudinarybackup.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
 *   <li>{@code assets}: asset key → {@link AssetRecord} as JSON, LZF-compressed ({@link
 *       RecordCompression}; JSON shrinks to about 60 %);
 *   <li>{@code seen}: the last run that listed an asset whose record it did not need to rewrite;
 *   <li>{@code paths}: the path claims of {@link io.github.cloudinarybackup.layout.PathAllocator};
 *   <li>{@code state}: the run in progress and the cursor of each listing, so a restart resumes;
 *       the {@link ManifestStamp} of the last full manifest pass.
 * </ul>
 */
public final class Catalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  /**
   * A batch this large is written and committed at once rather than at the next commit: memory
   * stays bounded, here and in MapDB, which stages a transaction in memory ({@link CatalogStore}).
   */
  private static final int FLUSH_AT = 1000;

  private final Path file;
  private final DB db;
  private final HTreeMap<String, byte[]> assets;
  private final HTreeMap<String, String> paths;
  private final HTreeMap<String, String> seen;
  private final RunState runState;

  /**
   * Every use of MapDB holds the read lock and closing takes the write lock: a catalog is never
   * closed under a thread that is using it, and a thread that comes after the close gets a {@link
   * CatalogClosedException}, never a failure from inside MapDB that could pass for damage.
   */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private volatile boolean closed;

  /**
   * Records put since the last flush, by key: the download threads only serialise and park them
   * here; one thread at a time writes a whole batch into MapDB, whose transactional store does not
   * take concurrent writers well. Reads look here first. ("Seen" marks are small and go straight
   * in.)
   */
  private final ConcurrentHashMap<String, byte[]> pendingAssets = new ConcurrentHashMap<>();

  private final Object flushLock = new Object();

  /** Writes and commits the batches, so download threads never wait on MapDB. */
  private final CommitScheduler commits = new CommitScheduler(this::commit);

  /** What the last full manifest pass found, if the run before this one got to its end. */
  private volatile ManifestStamp previousManifest;

  /** Records put since this process started its run. */
  private final AtomicLong writtenThisRun = new AtomicLong();

  /** Assets marked seen by this run (each counted once). */
  private final AtomicLong seenThisRun = new AtomicLong();

  /** Held while the catalog is open: one backup per catalog at a time. */
  private final FileChannel lock;

  /**
   * The downloads completed since the last commit, safe from a kill (see {@link
   * CompletionJournal}).
   */
  private final CompletionJournal journal;

  /** The journal files a killed process left, not yet put back. */
  private final List<Path> leftOverCompletions;

  private Catalog(Path file, DB db, FileChannel lock) throws IOException {
    this.file = file;
    this.db = db;
    this.lock = lock;
    this.leftOverCompletions = CompletionJournal.leftOver(file);
    this.journal = new CompletionJournal(file, CompletionJournal.newest(file, leftOverCompletions));
    Maps maps = Maps.of(db);
    this.assets = maps.assets();
    this.paths = maps.paths();
    this.seen = maps.seen();
    this.runState = new RunState(maps.state());
  }

  /**
   * The catalog's maps, created if the file has none yet: a new catalog file gets them committed
   * before it is renamed into place ({@link CatalogStore}); a catalog from before a map existed
   * gets it at its next commit.
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
    FileChannel lockChannel =
        CatalogStore.openOwnerOnly(file.resolveSibling(file.getFileName() + ".lock"));
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
    String verdict = DamageVerdict.left(file);
    if (verdict != null) {
      throw new CatalogUnusableException(
          file, "an earlier run found it damaged (" + verdict + ")", true, null);
    }
    DB db;
    try {
      CatalogStore.Opened opened = CatalogStore.open(file, Maps::of, StoreHooks.NONE);
      if (opened.recovered()) {
        LOG.info(
            "The catalog's last commit had been cut short (the process was stopped); it is now complete");
      }
      db = opened.db();
    } catch (DBException.FileLocked e) {
      throw new CatalogUnusableException(file, "another program has it open", false, e);
    } catch (RuntimeException e) {
      if (DamageVerdict.notDamage(e)) {
        throw new IOException(
            "cannot read the catalog " + file.toAbsolutePath() + ": " + DamageVerdict.describe(e),
            e);
      }
      throw new CatalogUnusableException(
          file, "it is damaged (" + DamageVerdict.describe(e) + ")", true, e);
    }
    try {
      return new Catalog(file, db, lock);
    } catch (RuntimeException e) {
      db.close();
      throw new CatalogUnusableException(
          file, "it is damaged (" + DamageVerdict.describe(e) + ")", true, e);
    }
  }

  /** The asset's record; its runId is the last run that listed it, "seen" marks included. */
  public Optional<AssetRecord> get(String key) {
    return guarded(
        () -> {
          byte[] stored = pendingAssets.get(key);
          if (stored == null) {
            stored = assets.get(key);
          }
          return stored == null
              ? Optional.empty()
              : Optional.of(RecordJson.read(RecordCompression.decompress(stored), seen.get(key)));
        });
  }

  public void put(AssetRecord record) {
    put(record, false);
  }

  /**
   * Puts the record of a download that just completed: besides being parked for the next commit it
   * is written at once to the completion journal, so a process killed before that commit does not
   * cost the download (see {@link #leftOverCompletions}).
   */
  public void putCompleted(AssetRecord record) {
    put(record, true);
  }

  private void put(AssetRecord record, boolean completed) {
    requireOpen();
    writtenThisRun.incrementAndGet();
    String json = RecordJson.toJson(record);
    pendingAssets.put(record.key(), RecordCompression.compress(json));
    if (completed) {
      journal.append(json);
    }
    if (pendingAssets.size() >= FLUSH_AT) {
      commit();
    }
  }

  /**
   * The downloads a killed process completed after its last commit, as it recorded them: the caller
   * checks that each file is there, puts the record back, commits, then calls {@link
   * #leftOverCompletionsPutBack}.
   */
  public List<AssetRecord> leftOverCompletions() throws IOException {
    List<AssetRecord> records = new java.util.ArrayList<>();
    for (String line : CompletionJournal.read(leftOverCompletions)) {
      try {
        records.add(RecordJson.fromJson(line));
      } catch (UncheckedIOException cutShort) {
        // not a whole record: that download is done again
      }
    }
    return records;
  }

  /** The left-over completions are in a committed catalog: their files go. */
  public void leftOverCompletionsPutBack() throws IOException {
    CompletionJournal.delete(leftOverCompletions);
    leftOverCompletions.clear();
  }

  /**
   * Notes that a run listed an asset whose record did not change, without rewriting the record: a
   * no-op run costs one small write per asset instead of a full one.
   */
  public void markSeen(String key, String runId) {
    String before = guarded(() -> seen.put(key, runId));
    if (!runId.equals(before)) {
      seenThisRun.incrementAndGet();
    }
  }

  /** Visits every record (as {@link #get} returns it) without loading them all at once. */
  public void forEach(Consumer<AssetRecord> visitor) {
    Lock using = lifecycle.readLock();
    using.lock();
    try {
      requireOpen();
      flush();
      RecordScan.visit(assets, seen, this::problem, visitor);
    } finally {
      using.unlock();
    }
  }

  public int size() {
    return guarded(
        () -> {
          flush();
          return assets.size();
        });
  }

  /** The persistent claims the path allocator works on; a failure in them is the catalog's too. */
  public ConcurrentMap<String, String> pathClaims() {
    return new GuardedClaims();
  }

  /** Whether no run has used this catalog yet and it holds no record: it is new, or was emptied. */
  public boolean isNew() {
    return guarded(
        () -> {
          flush();
          return assets.isEmpty() && !runState.anyRun();
        });
  }

  /**
   * A rebuild from the manifest begins: until {@link #rebuildDone}, the catalog counts as still to
   * be rebuilt (a rebuild cut short by a signal or a kill is done again, not taken for a whole
   * catalog). Commits.
   */
  public void rebuildBegins() {
    guarded(
        () -> {
          runState.rebuilding(true);
          return null;
        });
    commit();
  }

  /** The rebuild is complete. Commits. */
  public void rebuildDone() {
    guarded(
        () -> {
          runState.rebuilding(false);
          return null;
        });
    commit();
  }

  /**
   * Whether the catalog needs rebuilding from the manifest: new, emptied, or rebuilt only in part.
   */
  public boolean needsRebuild() {
    return isNew() || guarded(runState::rebuilding);
  }

  /** The run that has not finished yet, if a previous process stopped in the middle of one. */
  public Optional<String> unfinishedRun() {
    return guarded(runState::unfinishedRun);
  }

  /**
   * Starts a run: forgets the cursors of the previous, finished one. Run ids order as strings and
   * each is later than every earlier one, even if the clock went back, so "seen in this run" is
   * exact.
   *
   * @return the new run's id
   */
  public String startRun(Instant now) {
    String runId =
        guarded(
            () -> {
              RunState.Started started = runState.start(now);
              previousManifest = started.previousManifest();
              writtenThisRun.set(0);
              seenThisRun.set(0);
              return started.runId();
            });
    commit();
    return runId;
  }

  /** The run is over: nothing is left to resume. */
  public void finishRun() {
    guarded(
        () -> {
          runState.finish();
          return null;
        });
    commit();
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
    guarded(
        () -> {
          runState.manifest(stamp);
          return null;
        });
    commit();
  }

  /** Until when Cloudinary asked us not to call the Admin API, if it did. */
  public Optional<Instant> rateLimitPause() {
    return guarded(runState::rateLimitPause);
  }

  /** Remembers a rate-limit pause across restarts. Commits. */
  public void saveRateLimitPause(Instant until) {
    guarded(
        () -> {
          runState.rateLimitPause(until);
          return null;
        });
    commit();
  }

  /** The cursor of the next page of a listing, or empty to start at its first page. */
  public Optional<String> cursor(String listing) {
    return guarded(() -> runState.cursor(listing));
  }

  /** Whether a listing of the current run already went through its last page. */
  public boolean listingComplete(String listing) {
    return guarded(() -> runState.listingComplete(listing));
  }

  /** Remembers where a listing goes on; {@code null} marks it complete. Commits. */
  public void saveCursor(String listing, String nextCursor) {
    guarded(
        () -> {
          runState.cursor(listing, nextCursor);
          return null;
        });
    commit();
  }

  public void commit() {
    guarded(
        () -> {
          commits.commitBegins();
          synchronized (this) {
            // completions noted from now on go to a new journal file; the old one is deleted once
            // everything put before this point is committed
            rotateJournal();
            flush();
            db.commit();
            commits.committed();
            journalCommitted();
          }
          return null;
        });
  }

  private void rotateJournal() {
    try {
      journal.rotate();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the completion journal", e);
    }
  }

  private void journalCommitted() {
    try {
      journal.committed();
    } catch (IOException e) {
      LOG.warn(
          "cannot delete a completion journal the catalog no longer needs: {}", e.getMessage());
    }
  }

  /**
   * Writes the parked records and marks into MapDB (not yet committed); the caller holds the read
   * lock.
   */
  private void flush() {
    synchronized (flushLock) {
      drain(pendingAssets, assets);
    }
  }

  /**
   * Beside the catalog, the verdict of a run that found it damaged: the next run does not trust the
   * file even if it opens, and the damaged file itself is never written to again.
   */
  public static Path damageMarker(Path file) {
    return DamageVerdict.marker(file);
  }

  /**
   * Runs one use of MapDB while the catalog is open. A failure inside MapDB or in a stored record
   * is damage on disk (a disk fault, a file changed by hand); an I/O error (a full disk) is passed
   * on as it is; a catalog closed meanwhile is {@link CatalogClosedException}, never damage.
   */
  private <T> T guarded(Supplier<T> use) {
    Lock using = lifecycle.readLock();
    using.lock();
    try {
      requireOpen();
      return use.get();
    } catch (RuntimeException e) {
      throw problem(e);
    } finally {
      using.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new CatalogClosedException(file);
    }
  }

  /**
   * What a failure while the catalog was in use means; damage leaves its verdict beside the file.
   */
  private RuntimeException problem(RuntimeException e) {
    if (e instanceof CatalogUnusableException || e instanceof CatalogClosedException) {
      return e;
    }
    if (closed) {
      return new CatalogClosedException(file);
    }
    if (DamageVerdict.notDamage(e)) {
      return e;
    }
    DamageVerdict.leave(file, e);
    return CatalogUnusableException.damagedInUse(file, e);
  }

  /** A newer value put meanwhile stays parked for the next flush. */
  private static <V> void drain(ConcurrentHashMap<String, V> pending, HTreeMap<String, V> target) {
    for (Map.Entry<String, V> entry : pending.entrySet()) {
      target.put(entry.getKey(), entry.getValue());
      pending.remove(entry.getKey(), entry.getValue());
    }
  }

  /** A download completed: a commit follows soon, on the catalog-writer thread. */
  public void commitSoon() {
    commits.completed();
  }

  /** Whether the catalog was closed (uses after that fail with {@link CatalogClosedException}). */
  public boolean isClosed() {
    return closed;
  }

  /** Closes without keeping anything written since the last commit (a dry run writes nothing). */
  public void closeWithoutCommit() {
    close(false);
  }

  /**
   * Commits what was put and closes; waits for the threads using the catalog, and is idempotent.
   */
  @Override
  public void close() {
    close(true);
  }

  private void close(boolean commit) {
    commits.stop();
    Lock closing = lifecycle.writeLock();
    closing.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (commit) {
          rotateJournal();
          synchronized (flushLock) {
            drain(pendingAssets, assets);
          }
          db.commit();
          journalCommitted();
        } else {
          rotateJournal(); // what it holds was not committed: it stays for the next run
          pendingAssets.clear();
          db.rollback();
        }
      } finally {
        // the file and its lock are let go of whatever failed above (a full disk): the process goes
        // on
        try {
          db.close();
        } finally {
          releaseLock();
        }
      }
    } finally {
      closing.unlock();
    }
  }

  private void releaseLock() {
    try {
      lock.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  /** The path claims, each use guarded like every other use of MapDB. */
  private final class GuardedClaims extends java.util.AbstractMap<String, String>
      implements ConcurrentMap<String, String> {

    @Override
    public String get(Object key) {
      return guarded(() -> paths.get(key));
    }

    @Override
    public boolean containsKey(Object key) {
      return guarded(() -> paths.containsKey(key));
    }

    @Override
    public String put(String key, String value) {
      return guarded(() -> paths.put(key, value));
    }

    @Override
    public String putIfAbsent(String key, String value) {
      return guarded(() -> paths.putIfAbsent(key, value));
    }

    @Override
    public boolean remove(Object key, Object value) {
      return guarded(() -> paths.remove(key, value));
    }

    @Override
    public boolean replace(String key, String oldValue, String newValue) {
      return guarded(() -> paths.replace(key, oldValue, newValue));
    }

    @Override
    public String replace(String key, String value) {
      return guarded(() -> paths.replace(key, value));
    }

    @Override
    public java.util.Set<Map.Entry<String, String>> entrySet() {
      throw new UnsupportedOperationException("the path claims are not walked");
    }
  }
}
