package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An {@link AssetRecord} as the catalog, its journal and its spill files hold it: one JSON line.
 */
final class RecordJson {

  /** Unknown fields are skipped: a newer build's record still reads. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  // bound to the record type once: ObjectMapper.readValue(json, AssetRecord.class) looked the type
  // and its (de)serialiser up again for every record, a tenth of a no-op run's catalog reads
  private static final ObjectReader READER = JSON.readerFor(AssetRecord.class);
  private static final ObjectWriter WRITER = JSON.writerFor(AssetRecord.class);

  private RecordJson() {}

  static String toJson(AssetRecord record) {
    try {
      return WRITER.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the record of " + record.key(), e);
    }
  }

  static AssetRecord fromJson(String json) {
    try {
      return READER.readValue(json);
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
