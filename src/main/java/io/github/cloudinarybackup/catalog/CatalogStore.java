package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.MappedFileVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Opens the catalog's MapDB file with transactions, as {@code
 * DBMaker.fileDB(file).transactionEnable().fileChannelEnable().closeOnJvmShutdown().make()} does, with
 * one difference DBMaker has no option for: the write-ahead log is a memory-mapped file.
 *
 * <p>Why: MapDB writes and replays its log a few bytes at a time (packed longs), and through a
 * FileChannel each of those bytes is a system call; the catalog writer spent most of its time in
 * them. Mapped, they are memory writes, and commits stay durable ({@code force()} before the log is
 * replayed). The store itself stays on a FileChannel: mapped, it would count in the process's memory
 * and grow with the account; the log is one file of a megabyte or two, emptied at every commit.
 *
 * <p>The file format is MapDB's own either way, so catalogs written by DBMaker open here and the
 * other way round ({@code CatalogStoreTest}).
 */
final class CatalogStore {

  /** DBMaker's default concurrency scale, 8 segments, as a shift. */
  private static final int SEGMENT_SHIFT = 3;
  /** DBMaker's {@code closeOnJvmShutdown()}: closed by a shutdown hook holding the DB strongly. */
  private static final int CLOSE_ON_JVM_SHUTDOWN = 1;

  private CatalogStore() {}

  static DB open(Path file) {
    String path = file.toString();
    VolumeFactory volumes = new MappedLog(path);
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
    return new DB(store, exists, true, CatalogStore.class.getClassLoader(), CLOSE_ON_JVM_SHUTDOWN);
  }

  /** The store's own file through a FileChannel; its write-ahead log files ({@code <file>.wal.N}) mapped. */
  private static final class MappedLog extends VolumeFactory {

    /** Unmaps a log file when MapDB closes it, rather than whenever the GC gets to it. */
    private static final VolumeFactory MAPPED = new MappedFileVol.MappedFileFactory(true, false);

    private final String logPrefix;

    MappedLog(String storeFile) {
      this.logPrefix = storeFile + ".wal.";
    }

    @Override
    public Volume makeVolume(
        String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
      VolumeFactory factory = file.startsWith(logPrefix) ? MAPPED : FileChannelVol.FACTORY;
      return factory.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
    }

    @Override
    public boolean exists(String file) {
      return new File(file).exists();
    }

    @Override
    public boolean handlesReadonly() {
      return true;
    }
  }
}
