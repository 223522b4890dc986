package io.github.cloudinarybackup.cloudinary;

import java.util.List;
import java.util.Map;

/**
 * One page of a listing and the cursor of the next one ({@code null} after the last page).
 *
 * @param totalCount how many resources the whole listing has, when the API says (the Search API
 *     does), else -1
 */
public record ListingPage(List<Map<String, Object>> resources, String nextCursor, long totalCount) {

  public ListingPage(List<Map<String, Object>> resources, String nextCursor) {
    this(resources, nextCursor, -1);
  }
}
