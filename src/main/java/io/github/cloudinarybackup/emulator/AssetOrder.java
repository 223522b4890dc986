package io.github.cloudinarybackup.emulator;

import java.util.HexFormat;

/**
 * The two orders in which assets are listed; asset_id breaks ties so that every position is unique.
 */
enum AssetOrder {
  /** By created_at, the default order of list and search calls. */
  CREATED,
  /** By public_id, used when listing with a prefix. */
  PUBLIC_ID;

  /**
   * A position in one of the orders. Also what a cursor remembers about the last item of a page.
   */
  record Key(String primary, String assetId) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int c = primary.compareTo(other.primary);
      return c != 0 ? c : assetId.compareTo(other.assetId);
    }
  }

  Key keyOf(EmulatedAsset asset) {
    return switch (this) {
      case CREATED -> new Key(sortableInstant(asset), asset.assetId());
      case PUBLIC_ID -> new Key(asset.publicId(), asset.assetId());
    };
  }

  /**
   * Fixed-width hex whose string order equals time order (the sign bit is flipped so negative
   * seconds sort first).
   */
  private static String sortableInstant(EmulatedAsset asset) {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(asset.createdAt().getEpochSecond() ^ Long.MIN_VALUE)
        + hex.toHexDigits(asset.createdAt().getNano());
  }
}
