package io.github.cloudinarybackup.catalog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.Volume;

/**
 * One of MapDB's write-ahead log files, in memory, on slices that the log files before it used.
 *
 * <p>MapDB starts a log file at every commit and drops it when the commit is done; in memory
 * ({@link ByteArrayVol}) each one begins with a new 1 MiB slice. A backup commits every quarter
 * second or 64 downloads, so a 3,000-asset backup allocated 48 MB of slices, a tenth of all it
 * allocated, each living long enough to be copied by a young collection (docs/benchmarks.md,
 * session 12). A commit is over (its records copied into the store, MapDB's references to the log
 * cleared) before the log is closed, so its slices can start the next log: zeroed, as new as a
 * fresh allocation.
 *
 * <p>{@code ByteArrayVol} is final and allocates in a final method, so the first slice is put in
 * place through its {@code slices} field before MapDB writes; without that field (another MapDB
 * version) logs are plain {@code ByteArrayVol}s again, and RecycledLogVolumeTest fails.
 */
final class RecycledLogVolume extends ForwardingVolume {

  private static final VarHandle SLICES = slicesField();

  /**
   * The first slice of the last closed log file, for the next one: a store writes one log at a
   * time, and a new log starts on one slice. The slices a large log grew into are dropped.
   */
  static final class Slices {

    private byte[] free;

    synchronized byte[] take(int size) {
      byte[] slice = free;
      free = null;
      return slice != null && slice.length == size ? slice : new byte[size];
    }

    synchronized void give(byte[][] slices) {
      if (free == null && slices.length > 0 && slices[0] != null) {
        Arrays.fill(slices[0], (byte) 0);
        free = slices[0];
      }
    }

    synchronized int free() {
      return free == null ? 0 : 1;
    }
  }

  private final ByteArrayVol log;
  private final Slices pool;

  private RecycledLogVolume(ByteArrayVol log, Slices pool) {
    super(log);
    this.log = log;
    this.pool = pool;
  }

  /** A log file as MapDB asks for one: the first slice from {@code pool} when it can be. */
  static Volume make(int sliceShift, long initSize, Slices pool) {
    ByteArrayVol log = new ByteArrayVol(sliceShift, 0L);
    if (SLICES == null) {
      log.ensureAvailable(initSize);
      return log;
    }
    SLICES.setVolatile(log, new byte[][] {pool.take(1 << sliceShift)});
    log.ensureAvailable(initSize);
    return new RecycledLogVolume(log, pool);
  }

  @Override
  public void close() {
    byte[][] used = (byte[][]) SLICES.getVolatile(log);
    super.close();
    if (used != null) {
      pool.give(used);
    }
  }

  static boolean recycles() {
    return SLICES != null;
  }

  private static VarHandle slicesField() {
    try {
      return MethodHandles.privateLookupIn(ByteArrayVol.class, MethodHandles.lookup())
          .findVarHandle(ByteArrayVol.class, "slices", byte[][].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
