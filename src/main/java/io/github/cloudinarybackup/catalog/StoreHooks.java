package io.github.cloudinarybackup.catalog;

import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Points inside creating, opening and committing a catalog store where a test stops: to copy the
 * files as a kill at that moment would leave them, or to run another thread in the middle of a
 * commit. The catalog itself passes {@link #NONE}.
 */
interface StoreHooks {

  StoreHooks NONE = new StoreHooks() {};

  /**
   * MapDB forced its write-ahead log (in memory here): in a commit, its header and the header's
   * checksum are final and nothing of it has been written to the store yet (StoreWAL.kt 602-607).
   */
  default void logSynced() {}

  /**
   * A commit's {@code index}-th write to the store, of {@code size} bytes, was held back (called
   * without the volume's lock).
   */
  default void held(int index, int size) {}

  /** The redo file is forced; the commit's {@code index}-th write is about to reach the store. */
  default void beforeApplying(int index) {}

  /**
   * A new store is complete and forced under its temporary name, about to be renamed into place.
   */
  default void created(Path temporary) {}

  static StoreHooks beforeApplying(IntConsumer beforeApplying) {
    return new StoreHooks() {
      @Override
      public void beforeApplying(int index) {
        beforeApplying.accept(index);
      }
    };
  }
}
