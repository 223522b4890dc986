package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * The backup's memory: a MapDB file with transactions, so a crash loses at most the changes since the
 * last commit and the file always reopens in a consistent state.
 *
 * <ul>
 *   <li>{@code assets}: asset key → {@link AssetRecord} as JSON, ordered by key so the manifest is stable;
 *   <li>{@code paths}: the path claims of {@link io.github.cloudinarybackup.layout.PathAllocator};
 *   <li>{@code state}: the run in progress and the cursor of each listing, so a restart resumes.
 * </ul>
 */
public final class Catalog implements AutoCloseable {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String RUN_ID = "run.id";
  private static final String CURSOR = "cursor.";
  private static final String LISTED = "listed.";

  private final DB db;
  private final BTreeMap<String, String> assets;
  private final HTreeMap<String, String> paths;
  private final HTreeMap<String, String> state;

  private Catalog(DB db) {
    this.db = db;
    this.assets =
        db.treeMap("assets", Serializer.STRING, Serializer.STRING).valuesOutsideNodesEnable().createOrOpen();
    this.paths = db.hashMap("paths", Serializer.STRING, Serializer.STRING).createOrOpen();
    this.state = db.hashMap("state", Serializer.STRING, Serializer.STRING).createOrOpen();
  }

  /** Opens (or creates) the catalog file, creating its folder. */
  public static Catalog open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    DB db =
        DBMaker.fileDB(file.toFile())
            .transactionEnable()
            .fileMmapEnableIfSupported()
            .fileMmapPreclearDisable()
            .closeOnJvmShutdown()
            .make();
    return new Catalog(db);
  }

  public Optional<AssetRecord> get(String key) {
    String json = assets.get(key);
    return json == null ? Optional.empty() : Optional.of(read(json));
  }

  public void put(AssetRecord record) {
    try {
      assets.put(record.key(), JSON.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the record of " + record.key(), e);
    }
  }

  /** Visits every record in key order without loading them all at once. */
  public void forEach(Consumer<AssetRecord> visitor) {
    Iterator<String> it = assets.values().iterator();
    while (it.hasNext()) {
      visitor.accept(read(it.next()));
    }
  }

  public int size() {
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

  /** Starts a run: forgets the cursors of the previous, finished one. */
  public void startRun(String runId) {
    state.clear();
    state.put(RUN_ID, runId);
    commit();
  }

  /** The run is over: nothing is left to resume. */
  public void finishRun() {
    state.clear();
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

  public synchronized void commit() {
    db.commit();
  }

  @Override
  public synchronized void close() {
    if (!db.isClosed()) {
      db.commit();
      db.close();
    }
  }

  private static AssetRecord read(String json) {
    try {
      return JSON.readValue(json, AssetRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record", e);
    }
  }
}
