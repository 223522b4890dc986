package io.github.cloudinarybackup.cloudinary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Admin API's values as JSON text, and back: maps with text keys, lists, text, numbers,
 * booleans and null, as the SDK hands them over, written and read with Jackson's streaming API.
 *
 * <p>The text is what Jackson's {@code ObjectMapper} writes for the same value, byte for byte
 * (JsonValuesTest holds the two to each other), so files written before read the same and compare
 * equal. A backup writes such text for every asset (its catalog record, its manifest line), and
 * data binding would load about 400 classes and build its serialisers at every start only for that
 * (docs/benchmarks.md, session 12); it is still used, loaded only then, for a value of any other
 * type, which the Admin API's answers do not hold.
 */
public final class JsonValues {

  /** Jackson's streaming factory: no data binding behind it. */
  public static final JsonFactory FACTORY =
      new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private JsonValues() {}

  /** {@code value} as one line of JSON. */
  public static String toJson(Object value) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      write(json, value, false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a value as JSON", e);
    }
    return out.toString();
  }

  /**
   * {@code value} indented, as {@code SerializationFeature.INDENT_OUTPUT} writes it, the entries of
   * every map in key order with {@code sortKeys} ({@code ORDER_MAP_ENTRIES_BY_KEYS}).
   */
  public static byte[] toIndentedJson(Object value, boolean sortKeys) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    writeIndented(out, value, sortKeys);
    return out.toByteArray();
  }

  /** As {@link #toIndentedJson}, into {@code out} (left open). */
  public static void writeIndented(OutputStream out, Object value, boolean sortKeys)
      throws IOException {
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      write(json, value, sortKeys);
    }
  }

  /** Writes one value; {@code sortKeys}: every map's entries in key order. */
  public static void write(JsonGenerator json, Object value, boolean sortKeys) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String s) {
      json.writeString(s);
    } else if (value instanceof Integer i) {
      json.writeNumber(i);
    } else if (value instanceof Long l) {
      json.writeNumber(l);
    } else if (value instanceof Double d) {
      json.writeNumber(d);
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Map<?, ?> map && textKeys(map)) {
      json.writeStartObject();
      for (Map.Entry<?, ?> field : (sortKeys ? new TreeMap<>(map) : map).entrySet()) {
        json.writeFieldName((String) field.getKey());
        write(json, field.getValue(), sortKeys);
      }
      json.writeEndObject();
    } else if (value instanceof List<?> list) {
      json.writeStartArray();
      for (Object item : list) {
        write(json, item, sortKeys);
      }
      json.writeEndArray();
    } else {
      DataBinding.mapper(sortKeys).writeValue(json, value);
    }
  }

  private static boolean textKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The JSON object {@code in} holds, as data binding reads it into a {@code Map}: {@code null} for
   * the text {@code null}, an IOException for text that is not one object.
   */
  public static Map<String, Object> parseObject(JsonParser in) throws IOException {
    try (in) {
      JsonToken token = in.nextToken();
      if (token == null) {
        throw new IOException("no JSON value");
      }
      return token == JsonToken.VALUE_NULL ? null : readObject(in, token);
    }
  }

  /**
   * The JSON object that starts at {@code token}, as data binding reads it into a {@code Map}: a
   * {@link LinkedHashMap} of the values {@link #read} gives.
   */
  public static Map<String, Object> readObject(JsonParser in, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw new IOException("a JSON object was expected, not " + token);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    String field;
    while ((field = in.nextFieldName()) != null) {
      map.put(field, read(in, in.nextToken()));
    }
    return map;
  }

  /**
   * The value that starts at {@code token}, as data binding reads it into {@code Object}: maps,
   * {@link ArrayList}s, text, Integer, Long or BigInteger, Double, Boolean, null.
   */
  public static Object read(JsonParser in, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> readObject(in, token);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken item;
        while ((item = in.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(in, item));
        }
        yield list;
      }
      case VALUE_STRING -> in.getText();
      case VALUE_NUMBER_INT -> in.getNumberValue();
      case VALUE_NUMBER_FLOAT -> in.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token);
    };
  }

  /** Data binding, made the first time a value of another type comes (its classes load then). */
  private static final class DataBinding {

    private static final ObjectMapper IN_ORDER = new ObjectMapper();
    private static final ObjectMapper SORTED =
        new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static ObjectMapper mapper(boolean sortKeys) {
      return sortKeys ? SORTED : IN_ORDER;
    }
  }
}
