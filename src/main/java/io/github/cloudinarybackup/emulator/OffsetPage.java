package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a list the emulator holds in full (presets, mappings, folders): {@code max_results}
 * (1–500) items from the position an opaque {@code next_cursor} names, with the next cursor absent
 * on the last page.
 */
final class OffsetPage {

  private OffsetPage() {}

  /**
   * The answer body: {@code key} holding the page, and {@code next_cursor} unless it is the last.
   */
  static Map<String, Object> of(String key, List<?> items, int maxResults, String cursor) {
    if (maxResults < 1 || maxResults > 500) {
      throw ApiError.badRequest("max_results must be between 1 and 500");
    }
    int from = 0;
    if (cursor != null && !cursor.isEmpty()) {
      try {
        from =
            Integer.parseInt(
                new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII)
                    .substring(2));
      } catch (RuntimeException e) {
        throw ApiError.badRequest("Invalid next_cursor");
      }
    }
    int to = Math.min(items.size(), from + maxResults);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(key, new ArrayList<>(items.subList(Math.min(from, to), to)));
    if (to < items.size()) {
      body.put(
          "next_cursor",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(("o:" + to).getBytes(StandardCharsets.US_ASCII)));
    }
    return body;
  }
}
