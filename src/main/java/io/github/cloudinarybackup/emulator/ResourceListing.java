package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET resources/<rt>[/<type>]} and {@code GET resources/by_asset_folder}, with keyset
 * pagination.
 */
final class ResourceListing {

  static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw");

  /** Delivery types Cloudinary knows (OpenAPI {@code delivery_type_all}); others are rejected. */
  static final Set<String> DELIVERY_TYPES =
      Set.of(
          "upload",
          "private",
          "authenticated",
          "asset",
          "fetch",
          "url2png",
          "facebook",
          "twitter",
          "twitter_name",
          "instagram",
          "instagram_name",
          "gravatar",
          "youtube",
          "hulu",
          "vimeo",
          "animoto",
          "dailymotion",
          "worldstarhiphop",
          "multi",
          "sprite",
          "text",
          "list",
          "media_optimization");

  private static final String SCOPE = "list";

  private final EmulatorAccount account;
  private final ResourceJson json;
  private final EmulatorFaults faults;

  ResourceListing(EmulatorAccount account, ResourceJson json, EmulatorFaults faults) {
    this.account = account;
    this.json = json;
    this.faults = faults;
  }

  /**
   * Lists one resource type, of every delivery type when {@code type} is null. Ordered by
   * created_at (desc by default); with {@code prefix}, by public_id ascending and {@code direction}
   * and {@code start_at} are ignored. The paging switches of {@link EmulatorFaults} apply.
   */
  Map<String, Object> list(String resourceType, String type, QueryParams query) {
    requireResourceType(resourceType);
    if (type != null && !DELIVERY_TYPES.contains(type)) {
      throw ApiError.badRequest("Invalid type " + type);
    }
    int maxResults = PagingFaults.pageSize(faults, query.intIn("max_results", 10, 1, 500));
    String prefix = query.get("prefix");
    boolean byPublicId = prefix != null;
    AssetOrder order = byPublicId ? AssetOrder.PUBLIC_ID : AssetOrder.CREATED;
    boolean ascending = byPublicId || query.ascending("direction");
    Instant startAt = byPublicId ? null : query.instant("start_at");

    ListCursor cursor = cursor(query, order, ascending);
    AssetOrder.Key start = byPublicId ? new AssetOrder.Key(prefix, "") : null;
    AssetOrder.Key after = cursor != null ? cursor.last() : start;

    Predicate<EmulatedAsset> include =
        a ->
            a.resourceType().equals(resourceType)
                && (type == null || a.type().equals(type))
                && (startAt == null || !a.createdAt().isBefore(startAt))
                && (prefix == null || a.publicId().startsWith(prefix));
    // Walks stop as soon as nothing further can match: past the prefix range, or older than
    // start_at.
    Predicate<EmulatedAsset> pastEnd =
        byPublicId
            ? a -> !a.publicId().startsWith(prefix)
            : startAt != null && !ascending ? a -> a.createdAt().isBefore(startAt) : a -> false;

    KeysetPager.Page page =
        KeysetPager.page(
            account.store().ordered(order, ascending, after), order, include, pastEnd, maxResults);
    return body(
        page,
        order,
        ascending,
        projection(query),
        query.get("next_cursor"),
        cursor,
        () ->
            KeysetPager.page(
                    account.store().ordered(order, ascending, start),
                    order,
                    include,
                    pastEnd,
                    maxResults)
                .last());
  }

  /**
   * Assets directly in one asset folder (case-insensitive), any resource type; dynamic folder mode
   * only.
   */
  Map<String, Object> byAssetFolder(QueryParams query) {
    if (account.folderMode() != FolderMode.DYNAMIC) {
      throw ApiError.badRequest("Listing by asset_folder is not supported in fixed folder mode");
    }
    String folder = query.get("asset_folder");
    if (folder == null) {
      throw ApiError.badRequest("Missing required parameter - asset_folder");
    }
    String wanted = folder.toLowerCase(Locale.ROOT);
    boolean known =
        account.assets().stream()
            .map(AssetFolders::assetFolder)
            .map(f -> f.toLowerCase(Locale.ROOT))
            .anyMatch(f -> f.equals(wanted) || f.startsWith(wanted + "/"));
    if (!known) {
      throw ApiError.notFound("Folder not found - " + folder);
    }
    int maxResults = PagingFaults.pageSize(faults, query.intIn("max_results", 50, 1, 500));
    boolean ascending = query.ascending("direction");
    ListCursor cursor = cursor(query, AssetOrder.CREATED, ascending);
    Predicate<EmulatedAsset> include =
        a -> AssetFolders.assetFolder(a).toLowerCase(Locale.ROOT).equals(wanted);
    KeysetPager.Page page =
        KeysetPager.page(
            account
                .store()
                .ordered(AssetOrder.CREATED, ascending, cursor == null ? null : cursor.last()),
            AssetOrder.CREATED,
            include,
            a -> false,
            maxResults);
    return body(
        page,
        AssetOrder.CREATED,
        ascending,
        projection(query),
        query.get("next_cursor"),
        cursor,
        () ->
            KeysetPager.page(
                    account.store().ordered(AssetOrder.CREATED, ascending, null),
                    AssetOrder.CREATED,
                    include,
                    a -> false,
                    maxResults)
                .last());
  }

  static void requireResourceType(String resourceType) {
    if (!RESOURCE_TYPES.contains(resourceType)) {
      throw ApiError.badRequest("Invalid resource type " + resourceType);
    }
  }

  private ListCursor cursor(QueryParams query, AssetOrder order, boolean ascending) {
    String token = query.get("next_cursor");
    if (token == null) {
      return null;
    }
    ListCursor cursor = ListCursor.decode(token, account, SCOPE);
    if (cursor.order() != order || cursor.ascending() != ascending) {
      throw ApiError.badRequest("next_cursor does not belong to this query: " + token);
    }
    return cursor;
  }

  private static ResourceJson.Projection projection(QueryParams query) {
    return new ResourceJson.Projection(
        query.flag("tags"), query.flag("context"), query.flag("metadata"), query.csv("fields"));
  }

  /**
   * @param given the next_cursor the request carried, or null
   * @param firstPageLast where page 1 of the same query stops, for {@link
   *     EmulatorFaults#cycleListCursor}
   */
  private Map<String, Object> body(
      KeysetPager.Page page,
      AssetOrder order,
      boolean ascending,
      ResourceJson.Projection projection,
      String given,
      ListCursor givenCursor,
      Supplier<AssetOrder.Key> firstPageLast) {
    List<Map<String, Object>> resources =
        page.items().stream().map(a -> json.listItem(a, projection)).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("resources", resources);
    String next =
        PagingFaults.nextCursor(
            faults,
            account,
            SCOPE,
            order,
            ascending,
            given,
            givenCursor,
            page.last(),
            firstPageLast);
    if (next != null) {
      body.put("next_cursor", next);
    }
    return body;
  }
}
