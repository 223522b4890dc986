package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An {@link AssetRecord} as the catalog, its journal and its spill files hold it: one JSON line.
 */
final class RecordJson {

  /** Unknown fields are skipped: a newer build's record still reads. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RecordJson() {}

  static String toJson(AssetRecord record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the record of " + record.key(), e);
    }
  }

  static AssetRecord fromJson(String json) {
    try {
      return JSON.readValue(json, AssetRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record", e);
    }
  }

  /** A stored record with the last run that only saw it, if that run is later than its own. */
  static AssetRecord read(String json, String seenRun) {
    AssetRecord record = fromJson(json);
    return seenRun != null && seenRun.compareTo(record.runId()) > 0
        ? record.seenIn(seenRun)
        : record;
  }
}
