package io.github.cloudinarybackup.catalog;

import org.mapdb.volume.Volume;

/**
 * A volume that tells {@link StoreHooks#logSynced} when it is forced: MapDB's write-ahead log in
 * tests.
 */
final class HookedVolume extends ForwardingVolume {

  private final StoreHooks hooks;

  HookedVolume(Volume volume, StoreHooks hooks) {
    super(volume);
    this.hooks = hooks;
  }

  @Override
  public void sync() {
    super.sync();
    hooks.logSynced();
  }
}
