package io.github.cloudinarybackup.emulator;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-encoding of URL paths and decoding of query strings, in the variants Cloudinary clients
 * use.
 */
final class UrlCodec {

  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private UrlCodec() {}

  /**
   * Encodes every '/'-separated segment with UTF-8 percent-encoding, leaving only unreserved
   * characters.
   */
  static String encodePath(String path) {
    StringBuilder out = new StringBuilder(path.length() + 16);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c == '/' || UNRESERVED.indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** What the Java SDK's SmartUrlEncoder produces, and therefore what it signs in delivery URLs. */
  static String smartEncode(String path) {
    return URLEncoder.encode(path, StandardCharsets.UTF_8)
        .replace("%2F", "/")
        .replace("%3A", ":")
        .replace("+", "%20");
  }

  /** Decodes one path segment; '+' is a literal plus in paths. */
  static String decodePathSegment(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw ApiError.badRequest("Malformed percent-encoding in path");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw ApiError.badRequest("Malformed percent-encoding in path");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        int codePoint = raw.codePointAt(i);
        byte[] utf8 = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Splits a raw path into its (still encoded) segments, dropping the leading slash. */
  static List<String> rawSegments(String rawPath) {
    List<String> segments = new ArrayList<>(List.of(rawPath.split("/", -1)));
    if (!segments.isEmpty() && segments.get(0).isEmpty()) {
      segments.remove(0);
    }
    return segments;
  }

  /** Parses {@code application/x-www-form-urlencoded} text; repeated keys keep every value. */
  static Map<String, List<String>> parseForm(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("Malformed query string");
      }
    }
    return params;
  }
}
