package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Takes one page from an ordered walk of the assets and remembers where it stopped. */
final class KeysetPager {

  /**
   * @param last position of the last item when more matching items follow; null on the last page
   */
  record Page(List<EmulatedAsset> items, AssetOrder.Key last) {}

  private KeysetPager() {}

  /**
   * @param walk the assets in order, already positioned after the previous page
   * @param include which assets belong in the result
   * @param pastEnd true for the first asset beyond which nothing can match, to stop early (e.g.
   *     past a prefix)
   */
  static Page page(
      Iterable<EmulatedAsset> walk,
      AssetOrder order,
      Predicate<EmulatedAsset> include,
      Predicate<EmulatedAsset> pastEnd,
      int maxResults) {
    List<EmulatedAsset> items = new ArrayList<>(Math.min(maxResults, 512));
    for (EmulatedAsset asset : walk) {
      if (pastEnd.test(asset)) {
        break;
      }
      if (!include.test(asset)) {
        continue;
      }
      if (items.size() == maxResults) {
        // One more match exists, so the page gets a cursor.
        return new Page(items, items.isEmpty() ? null : order.keyOf(items.get(items.size() - 1)));
      }
      items.add(asset);
    }
    return new Page(items, null);
  }
}
