package io.github.cloudinarybackup.emulator;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code POST resources/search}: filter by expression, sort, page with a keyset cursor. The paging
 * switches of {@link EmulatorFaults} apply.
 */
final class ResourceSearch {

  private static final String SCOPE = "search";

  private final EmulatorAccount account;
  private final ResourceJson json;
  private final EmulatorFaults faults;

  ResourceSearch(EmulatorAccount account, ResourceJson json, EmulatorFaults faults) {
    this.account = account;
    this.json = json;
    this.faults = faults;
  }

  /**
   * @param request the JSON body as the SDK sends it: expression, max_results, next_cursor,
   *     with_field, sort_by
   */
  Map<String, Object> search(Map<String, Object> request) {
    long started = System.nanoTime();
    Predicate<EmulatedAsset> matches =
        SearchExpression.parse(string(request, "expression"), account.folderMode());
    int maxResults = PagingFaults.pageSize(faults, maxResults(request.get("max_results")));
    Sort sort = sort(request.get("sort_by"));
    Set<String> withFields = strings(request.get("with_field"));

    AssetOrder.Key after = null;
    String token = string(request, "next_cursor");
    ListCursor cursor = null;
    if (token != null) {
      cursor = ListCursor.decode(token, account, SCOPE);
      if (cursor.order() != sort.order() || cursor.ascending() != sort.ascending()) {
        throw ApiError.badRequest("next_cursor does not belong to this search: " + token);
      }
      after = cursor.last();
    }
    KeysetPager.Page page =
        KeysetPager.page(
            account.store().ordered(sort.order(), sort.ascending(), after),
            sort.order(),
            matches,
            a -> false,
            maxResults);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total_count", account.assets().stream().filter(matches).count());
    body.put("time", (System.nanoTime() - started) / 1_000_000);
    body.put("resources", page.items().stream().map(a -> json.searchItem(a, withFields)).toList());
    String next =
        PagingFaults.nextCursor(
            faults,
            account,
            SCOPE,
            sort.order(),
            sort.ascending(),
            token,
            cursor,
            page.last(),
            () ->
                KeysetPager.page(
                        account.store().ordered(sort.order(), sort.ascending(), null),
                        sort.order(),
                        matches,
                        a -> false,
                        maxResults)
                    .last());
    if (next != null) {
      body.put("next_cursor", next);
    }
    return body;
  }

  private record Sort(AssetOrder order, boolean ascending) {}

  /** The first {@code sort_by} entry decides; created_at desc by default. */
  private static Sort sort(Object sortBy) {
    Object first = sortBy instanceof List<?> list && !list.isEmpty() ? list.get(0) : sortBy;
    if (!(first instanceof Map<?, ?> map) || map.isEmpty()) {
      return new Sort(AssetOrder.CREATED, false);
    }
    Map.Entry<?, ?> entry = map.entrySet().iterator().next();
    String field = String.valueOf(entry.getKey());
    String direction = String.valueOf(entry.getValue());
    AssetOrder order =
        switch (field) {
          case "created_at", "uploaded_at" -> AssetOrder.CREATED;
          case "public_id" -> AssetOrder.PUBLIC_ID;
          default ->
              throw ApiError.badRequest("Unsupported sort_by field in the emulator: " + field);
        };
    if (!direction.equals("asc") && !direction.equals("desc")) {
      throw ApiError.badRequest("Invalid sort direction " + direction);
    }
    return new Sort(order, direction.equals("asc"));
  }

  private static int maxResults(Object value) {
    if (value == null) {
      return 50;
    }
    int parsed;
    try {
      parsed =
          value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid max_results " + value);
    }
    if (parsed < 0 || parsed > 500) {
      throw ApiError.badRequest("max_results should be between 0 and 500, got " + parsed);
    }
    return parsed;
  }

  private static String string(Map<String, Object> request, String key) {
    Object value = request.get(key);
    return value == null || String.valueOf(value).isEmpty() ? null : String.valueOf(value);
  }

  private static Set<String> strings(Object value) {
    Set<String> result = new LinkedHashSet<>();
    if (value instanceof Collection<?> collection) {
      collection.forEach(v -> result.add(String.valueOf(v)));
    } else if (value != null) {
      result.add(String.valueOf(value));
    }
    return result;
  }
}
