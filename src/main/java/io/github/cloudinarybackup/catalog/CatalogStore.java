package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Opens the catalog's MapDB file with transactions, as {@code
 * DBMaker.fileDB(file).transactionEnable().fileChannelEnable().make()} would, with what DBMaker has
 * no option for:
 *
 * <ul>
 *   <li>the store's file goes through {@link RedoLoggedVolume}, so a kill in the middle of a commit
 *       never leaves it half-written: MapDB 3.1 writes its commits straight into the store and
 *       never replays its write-ahead log on opening;
 *   <li>its commits are exclusive ({@link ExclusiveCommitStore}): MapDB lets a thread allocate a
 *       record id in the middle of another thread's commit, which could write a header that fails
 *       its checksum or lose part of the commit;
 *   <li>a new store is made whole before it gets its name: MapDB writes and forces a new store's
 *       header before its first records (its name catalog, record 1, StoreWAL.kt 121-144, then
 *       DB.kt 248-269), and a file killed in between cannot be opened ({@code GetVoid: recid=1},
 *       MapDB issue 706). So a new catalog is made under a temporary name with its empty structure
 *       committed, then renamed into place; an existing file is never created by MapDB;
 *   <li>that write-ahead log is kept in memory. It only stages a transaction's records until the
 *       commit copies them into the store, MapDB never reads it after a restart, and on disk it
 *       cost the catalog writer most of its time: MapDB writes and reads it a few bytes at a time
 *       (packed longs), each a system call through a FileChannel. It holds one transaction: a few
 *       hundred KB.
 * </ul>
 *
 * <p>The store's format is MapDB's own, so catalogs written by DBMaker open here and the other way
 * round ({@code CatalogStoreTest}). New files are the owner's only where the file system has POSIX
 * permissions.
 */
final class CatalogStore {

  /** DBMaker's default concurrency scale, 8 segments, as a shift. */
  private static final int SEGMENT_SHIFT = 3;

  /**
   * No shutdown hook (DBMaker's {@code closeOnJvmShutdown()} would be 1): a hook closed the catalog
   * under the downloads still using it when the process was stopped. The run closes it itself, and
   * a process that dies without closing it loses at most its last commit, which the redo file
   * covers.
   */
  private static final int NO_SHUTDOWN_HOOK = 0;

  /**
   * Pages of the store file kept in memory, 4 KiB each: 4 MiB, the whole store of about 3,000
   * assets, and the hot part (the hash trees and the index) of a larger one; a run reads each
   * record once, so more pages save little. 8 MiB put 15 MB on a 100,000-asset backup's peak
   * (docs/benchmarks.md, session 12) and no time measurably on 3,000 or 5,000.
   */
  private static final int CACHED_PAGES = 1024;

  /**
   * Where a MapDB store's header keeps the highest record id, shifted by 3 ({@code
   * INDEX_TAIL_OFFSET}).
   */
  private static final int MAX_RECID_OFFSET = 32;

  private CatalogStore() {}

  /**
   * Opens the store, creating it (with no named collection) if there is none.
   *
   * @return the database; {@link Opened#recovered} says whether a commit a killed process left
   *     half-written was completed first
   */
  static Opened open(Path file) throws IOException {
    return open(file, db -> {}, StoreHooks.NONE);
  }

  /**
   * As {@link #open(Path)}; {@code beforeApplying} sees each write of a commit before it reaches
   * the store.
   */
  static Opened open(Path file, IntConsumer beforeApplying) throws IOException {
    return open(file, db -> {}, StoreHooks.beforeApplying(beforeApplying));
  }

  static Opened open(Path file, StoreHooks hooks) throws IOException {
    return open(file, db -> {}, hooks);
  }

  /**
   * As {@link #open(Path)}; a new store gets {@code structure} (its named collections) committed
   * before it is renamed into place, and {@code hooks} see the points of each commit.
   */
  static Opened open(Path file, Consumer<DB> structure, StoreHooks hooks) throws IOException {
    Path redo = redoFile(file);
    Path temporary = temporaryFile(file);
    // a creation a kill cut short: the file never got its name, so it was never used
    Files.deleteIfExists(temporary);
    Files.deleteIfExists(redoFile(temporary));
    boolean recovered = false;
    if (Files.exists(file)) {
      recovered = RedoLoggedVolume.recover(file, redo);
      if (!recovered && holdsNoRecord(file)) {
        // left by an older build killed while creating it: there is nothing to keep
        Files.delete(file);
      }
    }
    if (!Files.exists(file)) {
      // a new store: a redo file beside it belongs to a catalog that was moved aside
      Files.deleteIfExists(redo);
      create(file, temporary, structure, hooks);
    }
    deleteDiskLogs(file);
    return new Opened(openStore(file, redo, false, hooks, NO_SHUTDOWN_HOOK), recovered);
  }

  record Opened(DB db, boolean recovered) {}

  static Path redoFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".redo");
  }

  /** Where a new store is made before it is renamed into place. */
  static Path temporaryFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".new");
  }

  /**
   * Makes a new store under the temporary name, commits its structure, closes it (its commits
   * forced it) and renames it into place, then forces the folder so that the name lasts.
   */
  private static void create(Path file, Path temporary, Consumer<DB> structure, StoreHooks hooks)
      throws IOException {
    Path temporaryRedo = redoFile(temporary);
    Files.createFile(temporary, ownerOnly(temporary));
    try (DB db = openStore(temporary, temporaryRedo, true, hooks, NO_SHUTDOWN_HOOK)) {
      structure.accept(db);
      db.commit();
    }
    Files.deleteIfExists(temporaryRedo);
    hooks.created(temporary);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    forceFolder(file);
  }

  /**
   * MapDB's StoreWAL over the file, its commits exclusive; {@code fresh}: an empty file MapDB is to
   * initialise.
   */
  private static DB openStore(
      Path file, Path redo, boolean fresh, StoreHooks hooks, int shutdownHook) {
    String path = file.toString();
    Volumes volumes = new Volumes(path, redo, fresh, hooks);
    try {
      return openStore(path, volumes, fresh, shutdownHook);
    } catch (RuntimeException e) {
      // a store MapDB refuses (damaged) must not keep its file open, nor MapDB's lock on it
      if (volumes.storeVolume != null) {
        try {
          volumes.storeVolume.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  private static DB openStore(String path, Volumes volumes, boolean fresh, int shutdownHook) {
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
    RedoLoggedVolume volume = volumes.storeVolume;
    ExclusiveCommitStore exclusive = new ExclusiveCommitStore(store, volume::dropHeld);
    return new DB(exclusive, !fresh, true, CatalogStore.class.getClassLoader(), shutdownHook);
  }

  /**
   * A store file that holds no record: its header was never written, or it was written but not the
   * first records (MapDB's name catalog), which an older build killed while creating it left. A
   * file that is not a MapDB store is not one: MapDB reports it.
   */
  private static boolean holdsNoRecord(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() < 8) {
        return true;
      }
      ByteBuffer header =
          ByteBuffer.wrap(RedoLoggedVolume.firstBytes(channel, MAX_RECID_OFFSET + 8));
      long fileHeader = header.getLong(0);
      boolean mapdb =
          fileHeader >>> 56 == CC.FILE_HEADER
              && (fileHeader >>> 48 & 0xFF) == CC.FILE_TYPE_STOREDIRECT;
      return fileHeader == 0L || mapdb && header.getLong(MAX_RECID_OFFSET) >>> 3 == 0L;
    }
  }

  /**
   * Opens one of the catalog's files for writing, creating it owner-only: the catalog's files list
   * every asset, private ones included.
   */
  static FileChannel openOwnerOnly(Path file, StandardOpenOption... more) throws IOException {
    java.util.Set<StandardOpenOption> options =
        new java.util.HashSet<>(
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    options.addAll(java.util.Set.of(more));
    return FileChannel.open(file, options, ownerOnly(file));
  }

  /** Owner-only permissions for a new file, where the file system has POSIX permissions. */
  static FileAttribute<?>[] ownerOnly(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  /** Forces the folder of {@code file}, so that a name just given there survives a power cut. */
  static void forceFolder(Path file) {
    try (FileChannel folder =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      folder.force(true);
    } catch (IOException e) {
      // a system that cannot open a folder (Windows) makes its renames as durable as it can itself
    }
  }

  /**
   * Write-ahead logs an earlier version left on disk ({@code <file>.wal.N}): MapDB never reads
   * them.
   */
  private static void deleteDiskLogs(Path file) throws IOException {
    String prefix = file.getFileName() + ".wal.";
    // not a glob: a file name may hold [ or {
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(file.toAbsolutePath().getParent())) {
      for (Path sibling : siblings) {
        if (sibling.getFileName().toString().startsWith(prefix)) {
          Files.deleteIfExists(sibling);
        }
      }
    }
  }

  /**
   * The store's own file, redo-logged; its write-ahead log files ({@code <file>.wal.N}) in memory.
   */
  private static final class Volumes extends VolumeFactory {

    private final String storeFile;
    private final String logPrefix;
    private final Path redo;

    /**
     * The store file is empty and MapDB is to initialise it (it exists: made with its permissions).
     */
    private final boolean fresh;

    private final StoreHooks hooks;

    /** The in-memory log files' slices, passed from each log to the next. */
    private final RecycledLogVolume.Slices logSlices = new RecycledLogVolume.Slices();

    /** The volume of the store file, once MapDB made it. */
    RedoLoggedVolume storeVolume;

    Volumes(String storeFile, Path redo, boolean fresh, StoreHooks hooks) {
      this.storeFile = storeFile;
      this.logPrefix = storeFile + ".wal.";
      this.redo = redo;
      this.fresh = fresh;
      this.hooks = hooks;
    }

    @Override
    public Volume makeVolume(
        String file,
        boolean readOnly,
        long fileLockWait,
        int sliceShift,
        long initSize,
        boolean fixedSize) {
      if (file.startsWith(logPrefix)) {
        Volume log = RecycledLogVolume.make(sliceShift, initSize, logSlices);
        return hooks == StoreHooks.NONE ? log : new HookedVolume(log, hooks);
      }
      Volume store =
          new PageCachedVolume(
              FileChannelVol.FACTORY.makeVolume(
                  file, readOnly, fileLockWait, sliceShift, initSize, fixedSize),
              CACHED_PAGES);
      storeVolume = new RedoLoggedVolume(store, redo, hooks);
      return storeVolume;
    }

    @Override
    public boolean exists(String file) {
      if (file.startsWith(logPrefix)) {
        return false;
      }
      return !(fresh && file.equals(storeFile)) && new File(file).exists();
    }

    @Override
    public boolean handlesReadonly() {
      return true;
    }
  }
}
