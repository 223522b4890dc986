package io.github.cloudinarybackup.cloudinary;

import java.util.Map;
import java.util.Set;

/**
 * Typed read access to one resource as the Admin API returns it (the SDK hands it over as a map).
 * Absent keys read as {@code null} or {@code 0}: list items of remote types, raw files and the two
 * folder modes each leave out different keys.
 */
public final class CloudinaryResource {

  /** Delivery types whose original is stored by Cloudinary and can be downloaded. */
  public static final Set<String> TYPES_WITH_ORIGINAL =
      Set.of("upload", "private", "authenticated");

  private final Map<String, Object> fields;

  public CloudinaryResource(Map<String, Object> fields) {
    this.fields = fields;
  }

  public Map<String, Object> fields() {
    return fields;
  }

  /** The catalog key: asset_id when present, otherwise a key built from the identifying triple. */
  public String key() {
    String id = text("asset_id");
    return id != null ? id : resourceType() + "/" + type() + "/" + publicId();
  }

  public String assetId() {
    return text("asset_id");
  }

  public String publicId() {
    return text("public_id");
  }

  public String resourceType() {
    String rt = text("resource_type");
    return rt != null ? rt : "image";
  }

  public String type() {
    String type = text("type");
    return type != null ? type : "upload";
  }

  public String format() {
    return text("format");
  }

  public long version() {
    return number("version");
  }

  public long bytes() {
    return number("bytes");
  }

  public String folder() {
    return text("folder");
  }

  public String assetFolder() {
    return text("asset_folder");
  }

  public String displayName() {
    return text("display_name");
  }

  public String secureUrl() {
    String url = text("secure_url");
    return url != null ? url : text("url");
  }

  /** The MD5 of the original when the API told us (Search results and asset details carry it). */
  public String etag() {
    return text("etag");
  }

  public boolean hasOriginal() {
    return TYPES_WITH_ORIGINAL.contains(type());
  }

  private String text(String key) {
    Object value = fields.get(key);
    if (value == null) {
      return null;
    }
    String text = value.toString();
    return text.isEmpty() ? null : text;
  }

  private long number(String key) {
    Object value = fields.get(key);
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value != null) {
      try {
        return Long.parseLong(value.toString());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return resourceType() + "/" + type() + "/" + publicId();
  }
}
