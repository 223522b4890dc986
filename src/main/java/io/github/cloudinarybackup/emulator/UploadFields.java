package io.github.cloudinarybackup.emulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Upload API's encoded fields: {@code key=value|key2=value2} with {@code \=} and {@code
 * \|} in values.
 */
final class UploadFields {

  private UploadFields() {}

  /** The pairs of a context or metadata field, in order; empty for null or "". */
  static Map<String, String> pairs(String encoded) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return pairs;
    }
    for (String pair : splitUnescaped(encoded, '|')) {
      List<String> kv = splitUnescaped(pair, '=');
      if (kv.isEmpty() || kv.get(0).isEmpty()) {
        continue;
      }
      String key = kv.get(0);
      String value = pair.substring(Math.min(pair.length(), key.length() + 1));
      pairs.put(key, unescape(value));
    }
    return pairs;
  }

  /**
   * A metadata value as the field's type stores it: integer as a number, set as a list of
   * datasource external_ids (a JSON array on the wire), enum as one of them, the rest as strings; a
   * value the field does not allow is refused with Cloudinary's message.
   */
  static Object typedMetadataValue(Map<String, Object> field, String value) {
    String id = String.valueOf(field.get("external_id"));
    String type = String.valueOf(field.get("type"));
    switch (type) {
      case "integer" -> {
        try {
          return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw notValid(value, id);
        }
      }
      case "set" -> {
        List<Object> values = new ArrayList<>();
        try {
          // Java's SDK escapes the elements twice ("gr\\=een"): one level of escapes is left here
          for (Object v :
              HttpReply.JSON.readValue(value.replace("\\=", "=").replace("\\|", "|"), List.class)) {
            values.add(requireDatasourceValue(field, String.valueOf(v), id));
          }
        } catch (IOException e) {
          throw notValid(value, id);
        }
        return values;
      }
      case "enum" -> {
        return requireDatasourceValue(field, value, id);
      }
      default -> {
        return value;
      }
    }
  }

  private static String requireDatasourceValue(Map<String, Object> field, String value, String id) {
    Object datasource = field.get("datasource");
    Object values = datasource instanceof Map<?, ?> d ? d.get("values") : null;
    if (values instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> e && value.equals(String.valueOf(e.get("external_id")))) {
          return value;
        }
      }
    }
    throw notValid(value, id);
  }

  private static ApiError notValid(String value, String id) {
    return ApiError.badRequest(value + " is not valid for field '" + id + "'");
  }

  private static List<String> splitUnescaped(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        current.append(c).append(text.charAt(++i));
      } else if (c == separator) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /**
   * {@code \=} and {@code \|} become {@code =} and {@code |}; any other backslash stays (the SDK
   * does not double them).
   */
  private static String unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\'
          && i + 1 < value.length()
          && (value.charAt(i + 1) == '=' || value.charAt(i + 1) == '|')) {
        out.append(value.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
