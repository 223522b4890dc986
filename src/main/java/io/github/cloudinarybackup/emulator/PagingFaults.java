package io.github.cloudinarybackup.emulator;

import java.util.function.Supplier;

/**
 * What the listing switches of {@link EmulatorFaults} ({@link EmulatorFaults#oversizedListPages},
 * {@link EmulatorFaults#repeatListCursor}, {@link EmulatorFaults#cycleListCursor}) do to one page
 * of a cursor-paged Admin listing: its size and its {@code next_cursor}. With every switch off, the
 * page is what was asked for.
 */
final class PagingFaults {

  private PagingFaults() {}

  /**
   * @param requested the validated {@code max_results}
   */
  static int pageSize(EmulatorFaults faults, int requested) {
    int oversized = faults.oversizedListPages();
    return oversized > 0 ? oversized : requested;
  }

  /**
   * The {@code next_cursor} to answer with, or null for none.
   *
   * @param given the cursor the request carried as sent, or null on a first page
   * @param givenCursor the same, decoded, or null
   * @param realLast where this page stopped when more items follow, null on the last page
   * @param firstPageLast where page 1 of the same query stops, or null when it is the only page;
   *     only asked for when a cycle wraps around
   */
  static String nextCursor(
      EmulatorFaults faults,
      EmulatorAccount account,
      String scope,
      AssetOrder order,
      boolean ascending,
      String given,
      ListCursor givenCursor,
      AssetOrder.Key realLast,
      Supplier<AssetOrder.Key> firstPageLast) {
    int servedPage = givenCursor == null ? 1 : givenCursor.page() + 1;
    if (given != null && faults.repeatListCursor()) {
      return given;
    }
    int cycle = faults.cycleListCursor();
    if (cycle >= 2 && servedPage >= cycle) {
      AssetOrder.Key first = firstPageLast.get();
      if (first != null) {
        return new ListCursor(scope, order, ascending, first, 1).encode(account);
      }
    }
    return realLast == null
        ? null
        : new ListCursor(scope, order, ascending, realLast, servedPage).encode(account);
  }
}
