package io.github.cloudinarybackup.emulator;

import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type an original is served with, from its format (or, for raw files, its extension).
 */
final class MediaTypes {

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("png", "image/png"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("bmp", "image/bmp"),
          Map.entry("tif", "image/tiff"),
          Map.entry("tiff", "image/tiff"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("avif", "image/avif"),
          Map.entry("heic", "image/heic"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"),
          Map.entry("mkv", "video/x-matroska"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("txt", "text/plain"),
          Map.entry("csv", "text/csv"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("zip", "application/zip"),
          Map.entry(
              "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));

  private MediaTypes() {}

  static String of(EmulatedAsset asset) {
    String extension = asset.format();
    if (extension == null) {
      String name = asset.publicId().substring(asset.publicId().lastIndexOf('/') + 1);
      int dot = name.lastIndexOf('.');
      extension = dot < 0 ? "" : name.substring(dot + 1);
    }
    String type = BY_EXTENSION.get(extension.toLowerCase(Locale.ROOT));
    if (type != null) {
      return type;
    }
    if (extension.isEmpty()) {
      return "application/octet-stream";
    }
    return switch (asset.resourceType()) {
      case "image" -> "image/" + extension.toLowerCase(Locale.ROOT);
      case "video" -> "video/" + extension.toLowerCase(Locale.ROOT);
      default -> "application/octet-stream";
    };
  }
}
