package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders assets as the Admin API's list, details and search items, for the account's current
 * folder mode.
 */
final class ResourceJson {

  /** Search results use an offset instead of Z: {@code 2024-06-25T11:59:14+00:00}. */
  private static final DateTimeFormatter SEARCH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

  private static final Set<String> ALWAYS = Set.of("public_id", "asset_id");

  /**
   * Which optional parts a list item carries. {@code fields}, when set, wins over the three flags.
   */
  record Projection(boolean tags, boolean context, boolean metadata, Set<String> fields) {}

  private final EmulatorAccount account;

  /**
   * Where {@code url} and {@code secure_url} point: the emulator itself unless set to another
   * origin.
   */
  private volatile String baseUrl;

  ResourceJson(EmulatorAccount account, String baseUrl) {
    this.account = account;
    this.baseUrl = baseUrl;
  }

  /**
   * @param baseUrl scheme, host, port and optional path, without a trailing slash
   */
  void baseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  String baseUrl() {
    return baseUrl;
  }

  /**
   * {@code <base>/<cloud>/<rt>/<type>/v<version>/<public_id>[.<format>]}, the public_id's segments
   * percent-encoded; no version for remote types. The base is {@code http://127.0.0.1:PORT} unless
   * set to another origin.
   */
  String deliveryUrl(EmulatedAsset asset) {
    String version = asset.hasOriginal() ? "v" + asset.version() + "/" : "";
    return baseUrl
        + "/"
        + account.cloudName()
        + "/"
        + asset.resourceType()
        + "/"
        + asset.type()
        + "/"
        + version
        + UrlCodec.encodePath(asset.fileName());
  }

  Map<String, Object> listItem(EmulatedAsset asset, Projection projection) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("asset_id", asset.assetId());
    item.put("public_id", asset.publicId());
    putIfNotNull(item, "format", asset.format());
    if (asset.hasOriginal()) {
      item.put("version", asset.version());
    }
    item.put("resource_type", asset.resourceType());
    item.put("type", asset.type());
    item.put("created_at", timestamp(asset.createdAt()));
    item.put("bytes", asset.bytes());
    putDimensions(item, asset);
    putFolder(item, asset);
    String url = deliveryUrl(asset);
    item.put("url", url);
    item.put("secure_url", url);
    Set<String> fields = projection.fields();
    if (fields == null ? projection.tags() : fields.contains("tags")) {
      item.put("tags", asset.tags());
    }
    if ((fields == null ? projection.context() : fields.contains("context"))
        && !asset.context().isEmpty()) {
      item.put("context", Map.of("custom", asset.context()));
    }
    if ((fields == null ? projection.metadata() : fields.contains("metadata"))
        && !asset.metadata().isEmpty()) {
      item.put("metadata", asset.metadata());
    }
    if (fields != null) {
      item.keySet().removeIf(key -> !ALWAYS.contains(key) && !fields.contains(key));
    }
    return item;
  }

  /**
   * {@code GET resources/<rt>/<type>/<public_id>}: the list item plus etag and all optional parts.
   */
  Map<String, Object> details(EmulatedAsset asset) {
    Map<String, Object> item = listItem(asset, new Projection(true, true, true, null));
    putIfNotNull(item, "etag", asset.md5());
    item.put("access_mode", accessMode(asset));
    item.put("derived", List.of());
    return item;
  }

  /**
   * A Search API item: flat context, etag, status and upload time; tags/context/metadata only when
   * requested.
   */
  Map<String, Object> searchItem(EmulatedAsset asset, Set<String> withFields) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("asset_id", asset.assetId());
    item.put("public_id", asset.publicId());
    putFolder(item, asset);
    String fileName = asset.publicId().substring(asset.publicId().lastIndexOf('/') + 1);
    item.put("filename", fileName);
    putIfNotNull(item, "format", asset.format());
    if (asset.hasOriginal()) {
      item.put("version", asset.version());
    }
    item.put("resource_type", asset.resourceType());
    item.put("type", asset.type());
    item.put("created_at", SEARCH_TIME.format(asset.createdAt()));
    item.put("uploaded_at", SEARCH_TIME.format(asset.createdAt()));
    item.put("bytes", asset.bytes());
    putDimensions(item, asset);
    String url = deliveryUrl(asset);
    item.put("url", url);
    item.put("secure_url", url);
    item.put("status", "active");
    item.put("access_mode", accessMode(asset));
    putIfNotNull(item, "etag", asset.md5());
    if (withFields.contains("tags")) {
      item.put("tags", asset.tags());
    }
    if (withFields.contains("context") && !asset.context().isEmpty()) {
      item.put("context", asset.context());
    }
    if (withFields.contains("metadata") && !asset.metadata().isEmpty()) {
      item.put("metadata", asset.metadata());
    }
    return item;
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Fixed mode: {@code folder} is the public_id's directory. Dynamic mode: {@code asset_folder} +
   * {@code display_name}.
   */
  private void putFolder(Map<String, Object> item, EmulatedAsset asset) {
    if (account.folderMode() == FolderMode.FIXED) {
      item.put("folder", AssetFolders.publicIdFolder(asset));
    } else {
      item.put("asset_folder", AssetFolders.assetFolder(asset));
      item.put("display_name", AssetFolders.displayName(asset));
    }
  }

  /** Any stable numbers do: derived from the asset_id so that they never change between calls. */
  private static void putDimensions(Map<String, Object> item, EmulatedAsset asset) {
    if (!asset.hasOriginal() || "raw".equals(asset.resourceType())) {
      return;
    }
    int hash = asset.assetId().hashCode();
    item.put("width", 200 + Math.floorMod(hash, 3800));
    item.put("height", 200 + Math.floorMod(hash >>> 12, 2800));
  }

  private static String accessMode(EmulatedAsset asset) {
    return "authenticated".equals(asset.type()) ? "authenticated" : "public";
  }

  private static void putIfNotNull(Map<String, Object> item, String key, Object value) {
    if (value != null) {
      item.put(key, value);
    }
  }
}
