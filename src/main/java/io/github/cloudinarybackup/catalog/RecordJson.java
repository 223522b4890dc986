package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An {@link AssetRecord} as the catalog, its journal and its spill files hold it: one JSON line, in
 * snake case, the fields in the record's order, nulls written.
 *
 * <p>Written and read field by field with Jackson's streaming API: every asset's record is written
 * once and read at every later run, and data binding (a property writer per field, a creator buffer
 * per read) did more work per record and gave the JIT more to compile: a no-op rerun of 3,000
 * assets used 4 % less CPU without it (docs/benchmarks.md, session 12). The text is the one {@code
 * ObjectMapper} wrote for this record before, byte for byte, and reads into the same record
 * (RecordJsonTest holds the two to each other), so catalogs written by either build read in the
 * other. {@code resource}, the Admin API's answer, goes through {@link JsonValues}.
 */
final class RecordJson {

  private RecordJson() {}

  static String toJson(AssetRecord record) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator json = JsonValues.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      text(json, "key", record.key());
      text(json, "asset_id", record.assetId());
      text(json, "public_id", record.publicId());
      text(json, "resource_type", record.resourceType());
      text(json, "type", record.type());
      json.writeNumberField("version", record.version());
      text(json, "format", record.format());
      json.writeNumberField("bytes", record.bytes());
      text(json, "path", record.path());
      text(json, "requested_path", record.requestedPath());
      text(json, "status", record.status() == null ? null : record.status().wire());
      text(json, "reason", record.reason());
      json.writeNumberField("written_bytes", record.writtenBytes());
      text(json, "md5", record.md5());
      text(json, "first_seen", record.firstSeen());
      text(json, "last_seen", record.lastSeen());
      text(json, "backed_up_at", record.backedUpAt());
      text(json, "run_id", record.runId());
      json.writeFieldName("resource");
      JsonValues.write(json, record.resource(), false);
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the record of " + record.key(), e);
    }
    return out.toString();
  }

  private static void text(JsonGenerator json, String field, String value) throws IOException {
    json.writeFieldName(field);
    if (value == null) {
      json.writeNull();
    } else {
      json.writeString(value);
    }
  }

  static AssetRecord fromJson(String json) {
    try (JsonParser in = JsonValues.FACTORY.createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      String key = null;
      String assetId = null;
      String publicId = null;
      String resourceType = null;
      String type = null;
      long version = 0;
      String format = null;
      long bytes = 0;
      String path = null;
      String requestedPath = null;
      AssetStatus status = null;
      String reason = null;
      long writtenBytes = 0;
      String md5 = null;
      String firstSeen = null;
      String lastSeen = null;
      String backedUpAt = null;
      String runId = null;
      Map<String, Object> resource = null;
      String field;
      while ((field = in.nextFieldName()) != null) {
        JsonToken token = in.nextToken();
        switch (field) {
          case "key" -> key = text(in, token);
          case "asset_id" -> assetId = text(in, token);
          case "public_id" -> publicId = text(in, token);
          case "resource_type" -> resourceType = text(in, token);
          case "type" -> type = text(in, token);
          case "version" -> version = number(in, token);
          case "format" -> format = text(in, token);
          case "bytes" -> bytes = number(in, token);
          case "path" -> path = text(in, token);
          case "requested_path" -> requestedPath = text(in, token);
          case "status" -> status = status(text(in, token));
          case "reason" -> reason = text(in, token);
          case "written_bytes" -> writtenBytes = number(in, token);
          case "md5" -> md5 = text(in, token);
          case "first_seen" -> firstSeen = text(in, token);
          case "last_seen" -> lastSeen = text(in, token);
          case "backed_up_at" -> backedUpAt = text(in, token);
          case "run_id" -> runId = text(in, token);
          case "resource" ->
              resource = token == JsonToken.VALUE_NULL ? null : JsonValues.readObject(in, token);
          // a newer build's field: skipped, the record still reads
          default -> in.skipChildren();
        }
      }
      return new AssetRecord(
          key,
          assetId,
          publicId,
          resourceType,
          type,
          version,
          format,
          bytes,
          path,
          requestedPath,
          status,
          reason,
          writtenBytes,
          md5,
          firstSeen,
          lastSeen,
          backedUpAt,
          runId,
          resource);
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          "unreadable catalog record",
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
  }

  /** A text field: a scalar reads as its text, as data binding coerced it. */
  private static String text(JsonParser in, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isScalarValue()) {
      return in.getText();
    }
    throw new IOException("a text field holds " + token);
  }

  private static long number(JsonParser in, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NUMBER_INT -> in.getLongValue();
      case VALUE_NUMBER_FLOAT -> (long) in.getDoubleValue();
      case VALUE_NULL -> 0;
      case VALUE_STRING -> {
        String text = in.getText().trim();
        try {
          yield text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IOException("a number field holds \"" + text + "\"");
        }
      }
      default -> throw new IOException("a number field holds " + token);
    };
  }

  private static AssetStatus status(String wire) throws IOException {
    AssetStatus status = wire == null ? null : AssetStatus.ofWire(wire);
    if (wire != null && status == null) {
      throw new IOException("unknown status \"" + wire + "\"");
    }
    return status;
  }

  /** A stored record with the last run that only saw it, if that run is later than its own. */
  static AssetRecord read(String json, String seenRun) {
    AssetRecord record = fromJson(json);
    return seenRun != null && seenRun.compareTo(record.runId()) > 0
        ? record.seenIn(seenRun)
        : record;
  }
}
