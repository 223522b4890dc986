package io.github.cloudinarybackup.emulator;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The assets of one account with the indexes the API needs: by asset_id, by (resource_type, type,
 * public_id), and ordered by created_at and by public_id so that listing is keyset pagination
 * rather than a sort per call. Writers serialise on the store; readers see concurrent collections
 * and never block.
 */
final class AssetStore {

  private final Map<String, EmulatedAsset> byAssetId = new ConcurrentHashMap<>();
  private final Map<String, EmulatedAsset> byLocator = new ConcurrentHashMap<>();
  private final Map<AssetOrder, ConcurrentSkipListMap<AssetOrder.Key, EmulatedAsset>> ordered =
      new EnumMap<>(AssetOrder.class);

  AssetStore() {
    for (AssetOrder order : AssetOrder.values()) {
      ordered.put(order, new ConcurrentSkipListMap<>());
    }
  }

  synchronized void add(EmulatedAsset asset) {
    if (byAssetId.containsKey(asset.assetId())) {
      throw new IllegalArgumentException("asset_id already present: " + asset.assetId());
    }
    String locator = locator(asset.resourceType(), asset.type(), asset.publicId());
    if (byLocator.containsKey(locator)) {
      throw new IllegalArgumentException(
          "public_id already present for "
              + asset.resourceType()
              + "/"
              + asset.type()
              + ": "
              + asset.publicId());
    }
    index(asset, locator);
  }

  synchronized void remove(String assetId) {
    EmulatedAsset old = byAssetId.remove(assetId);
    if (old != null) {
      byLocator.remove(locator(old.resourceType(), old.type(), old.publicId()));
      ordered.forEach((order, map) -> map.remove(order.keyOf(old)));
    }
  }

  /**
   * Swaps the asset with the same asset_id, e.g. for a new version; the public_id may change too.
   */
  synchronized void replace(EmulatedAsset asset) {
    EmulatedAsset old = byAssetId.get(asset.assetId());
    if (old == null) {
      throw new IllegalArgumentException("no asset with asset_id " + asset.assetId());
    }
    String locator = locator(asset.resourceType(), asset.type(), asset.publicId());
    EmulatedAsset clash = byLocator.get(locator);
    if (clash != null && !clash.assetId().equals(asset.assetId())) {
      throw new IllegalArgumentException("public_id already used by asset " + clash.assetId());
    }
    remove(asset.assetId());
    index(asset, locator);
  }

  Optional<EmulatedAsset> byAssetId(String assetId) {
    return Optional.ofNullable(byAssetId.get(assetId));
  }

  Optional<EmulatedAsset> byPublicId(String resourceType, String type, String publicId) {
    return Optional.ofNullable(byLocator.get(locator(resourceType, type, publicId)));
  }

  Collection<EmulatedAsset> all() {
    return Collections.unmodifiableCollection(byAssetId.values());
  }

  int size() {
    return byAssetId.size();
  }

  /**
   * Assets strictly after {@code after} (all when null) in the given order and direction; a live,
   * weakly consistent view.
   */
  Iterable<EmulatedAsset> ordered(AssetOrder order, boolean ascending, AssetOrder.Key after) {
    NavigableMap<AssetOrder.Key, EmulatedAsset> map = ordered.get(order);
    if (!ascending) {
      map = map.descendingMap();
    }
    if (after != null) {
      map = map.tailMap(after, false);
    }
    return map.values();
  }

  private void index(EmulatedAsset asset, String locator) {
    byAssetId.put(asset.assetId(), asset);
    byLocator.put(locator, asset);
    ordered.forEach((order, map) -> map.put(order.keyOf(asset), asset));
  }

  private static String locator(String resourceType, String type, String publicId) {
    return resourceType + '\u0000' + type + '\u0000' + publicId;
  }
}
