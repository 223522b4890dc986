package io.github.cloudinarybackup.layout;

import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an asset goes below the backup folder, written as a template such as {@code
 * {asset_folder}/{display_name}.{ext}}.
 *
 * <p>Placeholders: {@code {public_id} {folder} {asset_folder}} (these may contain {@code /} and so
 * create folders), {@code {display_name} {asset_id} {resource_type} {type} {format} {version}
 * {ext}}. {@code .{ext}} is the original's extension: the format, or for raw files the extension
 * already in the public_id; it is left out when empty and when the name already ends with it. Every
 * resulting segment goes through {@link PathSanitizer}; empty segments are dropped, so nothing is
 * absolute.
 */
public final class LayoutTemplate {

  /** Fixed folder mode: the public_id is the Media Library path. */
  public static final String FIXED = "{public_id}.{ext}";

  /** Dynamic folder mode: the asset folder, then the display name. */
  public static final String DYNAMIC = "{asset_folder}/{display_name}.{ext}";

  private static final Pattern TOKEN = Pattern.compile("\\.\\{ext}|\\{([a-z_]+)}");
  private static final Set<String> PATH_VALUED = Set.of("public_id", "folder", "asset_folder");
  private static final Set<String> IDENTIFYING = Set.of("public_id", "asset_id", "display_name");
  private static final Map<String, Function<CloudinaryResource, String>> VALUES =
      Map.of(
          "public_id", CloudinaryResource::publicId,
          "folder", LayoutTemplate::folderOf,
          "asset_folder", CloudinaryResource::assetFolder,
          "display_name", LayoutTemplate::displayNameOf,
          "asset_id", CloudinaryResource::key,
          "resource_type", CloudinaryResource::resourceType,
          "type", CloudinaryResource::type,
          "format", CloudinaryResource::format,
          "version", r -> r.version() > 0 ? Long.toString(r.version()) : null,
          "ext", LayoutTemplate::extensionOf);

  private final String template;

  private LayoutTemplate(String template) {
    this.template = template;
  }

  /**
   * @throws IllegalArgumentException for an unknown placeholder or a template that names no
   *     identifying placeholder (every asset would then compete for the same file)
   */
  public static LayoutTemplate parse(String template) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("the layout template is empty");
    }
    Matcher m = TOKEN.matcher(template);
    boolean identifying = false;
    while (m.find()) {
      String name = m.group(1);
      if (name != null && !VALUES.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown placeholder {"
                + name
                + "} in layout '"
                + template
                + "'; known: "
                + VALUES.keySet());
      }
      identifying |= name != null && IDENTIFYING.contains(name);
    }
    if (!identifying) {
      throw new IllegalArgumentException(
          "layout '" + template + "' must contain {public_id}, {display_name} or {asset_id}");
    }
    return new LayoutTemplate(template);
  }

  public String template() {
    return template;
  }

  /** The safe relative path segments for {@code resource}; never empty. */
  public List<String> render(CloudinaryResource resource, PathSanitizer sanitizer) {
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    Matcher m = TOKEN.matcher(template);
    int at = 0;
    while (m.find()) {
      appendPath(template.substring(at, m.start()), segments, current);
      if (m.group(1) == null) {
        appendExtension(extensionOf(resource), current);
      } else {
        String value = VALUES.get(m.group(1)).apply(resource);
        if (value != null) {
          if (PATH_VALUED.contains(m.group(1))) {
            appendPath(value, segments, current);
          } else {
            current.append(value); // a '/' in a display name is a character, not a folder
          }
        }
      }
      at = m.end();
    }
    appendPath(template.substring(at), segments, current);
    segments.add(current.toString());

    List<String> safe = new ArrayList<>(segments.size());
    for (String segment : segments) {
      if (!segment.isEmpty()) {
        safe.add(sanitizer.segment(segment));
      }
    }
    if (safe.isEmpty()) {
      safe.add(sanitizer.segment(resource.key()));
    }
    return safe;
  }

  private static void appendPath(String text, List<String> segments, StringBuilder current) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/') {
        segments.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
  }

  private static void appendExtension(String ext, StringBuilder current) {
    if (ext == null || ext.isEmpty() || current.length() == 0) {
      return;
    }
    String suffix = "." + ext;
    String name = current.toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(suffix.toLowerCase(Locale.ROOT))) {
      current.append(suffix);
    }
  }

  static String folderOf(CloudinaryResource r) {
    String folder = r.folder();
    if (folder != null) {
      return folder;
    }
    String pid = r.publicId();
    int slash = pid == null ? -1 : pid.lastIndexOf('/');
    return slash > 0 ? pid.substring(0, slash) : null;
  }

  static String displayNameOf(CloudinaryResource r) {
    String name = r.displayName();
    return name != null ? name : baseName(r.publicId());
  }

  static String extensionOf(CloudinaryResource r) {
    if (r.format() != null) {
      return r.format();
    }
    if ("raw".equals(r.resourceType())) {
      String base = baseName(r.publicId());
      int dot = base == null ? -1 : base.lastIndexOf('.');
      if (dot > 0 && dot < base.length() - 1) {
        return base.substring(dot + 1);
      }
    }
    return null;
  }

  private static String baseName(String publicId) {
    if (publicId == null) {
      return null;
    }
    return publicId.substring(publicId.lastIndexOf('/') + 1);
  }
}
