package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SDK options that put one asset back as it was (cloudinary-upload-and-config.md §2): its
 * public_id, resource_type and delivery type; tags, contextual and structured metadata and access
 * control; in a dynamic-mode account its asset folder and display name (in fixed mode the folder is
 * part of the public_id, and {@code folder} would prefix it twice). No {@code format}, {@code
 * transformation} or {@code upload_preset}: they would change the bytes. {@code overwrite} is false
 * unless the asset is to replace another, so that an upload repeated after a cut-off answer never
 * writes twice.
 */
final class UploadRequest {

  private UploadRequest() {}

  static Map<String, Object> options(AssetRecord record, FolderMode targetMode, boolean replace) {
    CloudinaryResource r = record.asResource();
    Map<String, Object> o = new HashMap<>();
    o.put("resource_type", r.resourceType());
    o.put("type", r.type());
    o.put("public_id", r.publicId());
    o.put("overwrite", replace);
    o.put("invalidate", replace);
    // the multipart filename: the emulator and Cloudinary's original_filename take it; it carries
    // the format
    o.put("filename", fileName(r));
    Object tags = r.fields().get("tags");
    if (tags instanceof java.util.Collection<?> list && !list.isEmpty()) {
      o.put("tags", list.stream().map(String::valueOf).toList());
    }
    Map<String, String> context = context(r.fields().get("context"));
    if (!context.isEmpty()) {
      o.put("context", context);
    }
    Object metadata = r.fields().get("metadata");
    if (metadata instanceof Map<?, ?> m && !m.isEmpty()) {
      Map<String, Object> values = new LinkedHashMap<>();
      m.forEach((k, v) -> values.put(String.valueOf(k), v));
      o.put("metadata", values);
    }
    Object accessControl = r.fields().get("access_control");
    if (accessControl instanceof java.util.List<?> list && !list.isEmpty()) {
      o.put("access_control", list);
    }
    if (targetMode == FolderMode.DYNAMIC) {
      o.put("asset_folder", RestoreSelection.folderOf(r));
      if (r.displayName() != null) {
        o.put("display_name", r.displayName());
      }
    }
    return o;
  }

  /** The Admin API nests contextual metadata under {@code custom}; the Search API gives it flat. */
  static Map<String, String> context(Object context) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (context instanceof Map<?, ?> map) {
      Object custom = map.get("custom");
      Map<?, ?> flat = custom instanceof Map<?, ?> c ? c : map;
      flat.forEach((k, v) -> pairs.put(String.valueOf(k), String.valueOf(v)));
    }
    return pairs;
  }

  /**
   * The public_id's last segment, with the format for images and videos; no character that breaks a
   * header.
   */
  private static String fileName(CloudinaryResource r) {
    String segment = r.publicId().substring(r.publicId().lastIndexOf('/') + 1);
    String last = segment.isEmpty() ? "file" : segment;
    String name =
        r.format() != null && !"raw".equals(r.resourceType()) ? last + "." + r.format() : last;
    name = name.replaceAll("[\"\\\\;\\r\\n\\x00-\\x1f]", "_");
    return name.isEmpty() ? "file" : name;
  }
}
