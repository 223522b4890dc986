package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Opens the catalog's MapDB file with transactions, as {@code
 * DBMaker.fileDB(file).transactionEnable().fileChannelEnable().closeOnJvmShutdown().make()} would,
 * with the two volumes DBMaker has no option for:
 *
 * <ul>
 *   <li>the store's file goes through {@link RedoLoggedVolume}, so a kill in the middle of a commit
 *       never leaves it half-written: MapDB 3.1 writes its commits straight into the store and never
 *       replays its write-ahead log on opening;
 *   <li>its commits are exclusive ({@link ExclusiveCommitStore}): MapDB lets a thread allocate a
 *       record id in the middle of another thread's commit, which could write a header that fails
 *       its checksum or lose part of the commit;
 *   <li>that write-ahead log is kept in memory. It only stages a transaction's records until the
 *       commit copies them into the store, MapDB never reads it after a restart, and on disk it cost
 *       the catalog writer most of its time: MapDB writes and reads it a few bytes at a time (packed
 *       longs), each a system call through a FileChannel. It holds one transaction: a few hundred KB.
 * </ul>
 *
 * <p>The store's format is MapDB's own, so catalogs written by DBMaker open here and the other way
 * round ({@code CatalogStoreTest}).
 */
final class CatalogStore {

  /** DBMaker's default concurrency scale, 8 segments, as a shift. */
  private static final int SEGMENT_SHIFT = 3;
  /** DBMaker's {@code closeOnJvmShutdown()}: closed by a shutdown hook holding the DB strongly. */
  private static final int CLOSE_ON_JVM_SHUTDOWN = 1;

  private CatalogStore() {}

  /**
   * @return the database; {@link Opened#recovered} says whether a commit a killed process left
   *     half-written was completed first
   */
  static Opened open(Path file) throws IOException {
    return open(file, db -> {}, StoreHooks.NONE);
  }

  /** As {@link #open(Path)}; {@code beforeApplying} sees each write of a commit before it reaches the store. */
  static Opened open(Path file, IntConsumer beforeApplying) throws IOException {
    return open(file, db -> {}, StoreHooks.beforeApplying(beforeApplying));
  }

  static Opened open(Path file, StoreHooks hooks) throws IOException {
    return open(file, db -> {}, hooks);
  }

  static Opened open(Path file, Consumer<DB> structure, StoreHooks hooks) throws IOException {
    Path redo = redoFile(file);
    boolean recovered = false;
    if (Files.exists(file)) {
      recovered = RedoLoggedVolume.recover(file, redo);
      if (!recovered && neverCommitted(file)) {
        // killed while creating it: no header was ever written, so there is nothing to keep
        Files.delete(file);
      }
    }
    if (!Files.exists(file)) {
      // a new store: a redo file beside it belongs to a catalog that was moved aside
      Files.deleteIfExists(redo);
    }
    deleteDiskLogs(file);
    String path = file.toString();
    Volumes volumes = new Volumes(path, redo, hooks);
    boolean exists = volumes.exists(path);
    StoreWAL store =
        StoreWAL.Companion.make(
            path,
            volumes,
            0L, // file lock: none to wait for (Catalog holds its own lock file)
            true, // thread safe
            SEGMENT_SHIFT,
            0L, // allocation increment: MapDB's default
            0L, // start size: MapDB's default
            false, // delete after close
            false, // delete after open
            false, // record checksums (MapDB refuses them with transactions)
            true, // header checksum, as DBMaker writes it
            false); // header checksum not bypassed
    ExclusiveCommitStore exclusive = new ExclusiveCommitStore(store, volumes.storeVolume::dropHeld);
    DB db = new DB(exclusive, exists, true, CatalogStore.class.getClassLoader(), CLOSE_ON_JVM_SHUTDOWN);
    if (!exists) {
      structure.accept(db);
    }
    return new Opened(db, recovered);
  }

  record Opened(DB db, boolean recovered) {}

  static Path redoFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".redo");
  }

  /** A store file whose header MapDB never wrote (MapDB's header starts with a non-zero file type). */
  private static boolean neverCommitted(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.size() < 8 || ByteBuffer.wrap(RedoLoggedVolume.firstBytes(channel, 8)).getLong() == 0L;
    }
  }

  /** Write-ahead logs an earlier version left on disk ({@code <file>.wal.N}): MapDB never reads them. */
  private static void deleteDiskLogs(Path file) throws IOException {
    String prefix = file.getFileName() + ".wal.";
    // not a glob: a file name may hold [ or {
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.toAbsolutePath().getParent())) {
      for (Path sibling : siblings) {
        if (sibling.getFileName().toString().startsWith(prefix)) {
          Files.deleteIfExists(sibling);
        }
      }
    }
  }

  /** The store's own file, redo-logged; its write-ahead log files ({@code <file>.wal.N}) in memory. */
  private static final class Volumes extends VolumeFactory {

    private final String logPrefix;
    private final Path redo;
    private final StoreHooks hooks;
    /** The volume of the store file, once MapDB made it. */
    RedoLoggedVolume storeVolume;

    Volumes(String storeFile, Path redo, StoreHooks hooks) {
      this.logPrefix = storeFile + ".wal.";
      this.redo = redo;
      this.hooks = hooks;
    }

    @Override
    public Volume makeVolume(
        String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
      if (file.startsWith(logPrefix)) {
        Volume log = ByteArrayVol.FACTORY.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
        return hooks == StoreHooks.NONE ? log : new HookedVolume(log, hooks);
      }
      Volume store = FileChannelVol.FACTORY.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
      storeVolume = new RedoLoggedVolume(store, redo, hooks);
      return storeVolume;
    }

    @Override
    public boolean exists(String file) {
      return !file.startsWith(logPrefix) && new File(file).exists();
    }

    @Override
    public boolean handlesReadonly() {
      return true;
    }
  }
}
