package io.github.cloudinarybackup.cloudinary;

import java.util.List;
import java.util.Map;

/** One page of a listing and the cursor of the next one ({@code null} after the last page). */
public record ListingPage(List<Map<String, Object>> resources, String nextCursor) {}
