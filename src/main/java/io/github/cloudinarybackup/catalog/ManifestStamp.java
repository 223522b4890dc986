package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.util.EnumMap;
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

  public ManifestStamp {
    counts = Map.copyOf(counts);
  }

  /** As data binding wrote it: the counts keyed by the statuses' wire values. */
  String toJson() {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator json = JsonValues.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("scope", scope);
      json.writeNumberField("live", live);
      json.writeObjectFieldStart("counts");
      for (AssetStatus status : AssetStatus.values()) {
        Long count = counts.get(status);
        if (count != null) {
          json.writeNumberField(status.wire(), count);
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the manifest stamp", e);
    }
    return out.toString();
  }

  /**
   * The stamp, or {@code null} if there is none or it cannot be read (then the manifest is
   * rewritten).
   */
  static ManifestStamp fromJson(String json) {
    if (json == null) {
      return null;
    }
    try (JsonParser in = JsonValues.FACTORY.createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String scope = null;
      long live = 0;
      Map<AssetStatus, Long> counts = new EnumMap<>(AssetStatus.class);
      String field;
      while ((field = in.nextFieldName()) != null) {
        JsonToken token = in.nextToken();
        switch (field) {
          case "scope" -> scope = token == JsonToken.VALUE_NULL ? null : in.getValueAsString();
          case "live" -> live = in.getValueAsLong();
          case "counts" -> {
            if (token != JsonToken.START_OBJECT) {
              return null;
            }
            String wire;
            while ((wire = in.nextFieldName()) != null) {
              in.nextToken();
              AssetStatus status = AssetStatus.ofWire(wire);
              if (status == null) {
                return null;
              }
              counts.put(status, in.getValueAsLong());
            }
          }
          default -> in.skipChildren();
        }
      }
      return new ManifestStamp(scope, live, counts);
    } catch (IOException e) {
      return null;
    }
  }
}
