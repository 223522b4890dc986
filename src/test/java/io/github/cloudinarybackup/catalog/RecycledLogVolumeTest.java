package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mapdb.volume.Volume;

class RecycledLogVolumeTest {

  private static final int MIB_SHIFT = 20;

  @Test
  void theSlicesOfAClosedLogStartTheNextZeroed() {
    assertTrue(RecycledLogVolume.recycles(), "MapDB's ByteArrayVol.slices is reachable");
    RecycledLogVolume.Slices pool = new RecycledLogVolume.Slices();
    Volume first = RecycledLogVolume.make(MIB_SHIFT, 0, pool);
    first.ensureAvailable(16);
    first.putLong(8, 42);
    first.putData(1000, new byte[] {1, 2, 3}, 0, 3);
    assertEquals(42, first.getLong(8));
    first.truncate(0);
    first.close();
    assertTrue(first.isClosed());
    assertEquals(1, pool.free(), "the closed log's slice is kept");

    Volume second = RecycledLogVolume.make(MIB_SHIFT, 0, pool);
    assertEquals(0, pool.free(), "the next log starts on it");
    second.ensureAvailable(16);
    assertEquals(0, second.getLong(8));
    assertEquals(0, second.getByte(1001));
    second.close();
  }

  @Test
  void aLogLargerThanASliceGrowsAndGivesBackOnlyTheSliceTheNextLogStartsOn() {
    RecycledLogVolume.Slices pool = new RecycledLogVolume.Slices();
    Volume log = RecycledLogVolume.make(MIB_SHIFT, 0, pool);
    log.ensureAvailable(6L << MIB_SHIFT);
    log.putLong((5L << MIB_SHIFT) + 8, 7);
    assertEquals(7, log.getLong((5L << MIB_SHIFT) + 8));
    log.close();
    assertEquals(1, pool.free(), "one slice is kept: the next log starts on one");
  }
}
