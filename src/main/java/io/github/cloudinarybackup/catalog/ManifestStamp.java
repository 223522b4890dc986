package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What the last full manifest pass found, kept in the catalog so that a run which changed nothing
 * can leave the manifest as it is instead of reading every record again.
 *
 * @param scope the settings the manifest's content depends on (the resource types in scope, CSV)
 * @param live the records of those resource types that are not marked deleted: a run that changes
 *     no record and sees exactly this many assets has seen every one of them, so none was deleted
 * @param counts the records by status, for the summary
 */
public record ManifestStamp(String scope, long live, Map<AssetStatus, Long> counts) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ManifestStamp {
    counts = Map.copyOf(counts);
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the manifest stamp", e);
    }
  }

  /**
   * The stamp, or {@code null} if there is none or it cannot be read (then the manifest is
   * rewritten).
   */
  static ManifestStamp fromJson(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, ManifestStamp.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
