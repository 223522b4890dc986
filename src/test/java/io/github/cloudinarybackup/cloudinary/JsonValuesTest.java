package io.github.cloudinarybackup.cloudinary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Data binding, which wrote these files before, is the oracle: the same text, the same values. */
class JsonValuesTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ObjectMapper INDENTED =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper INDENTED_SORTED =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Test
  void writesAndReadsWhatDataBindingDoes() throws Exception {
    long seed = Long.getLong("jsonvalues.seed", 20261202L);
    System.out.println("JsonValuesTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      Object value = i % 3 == 0 ? RandomJson.map(random, 0) : list(random);
      String context = "value " + i + " (seed " + seed + ")";
      String compact = JsonValues.toJson(value);
      assertEquals(PLAIN.writeValueAsString(value), compact, context);
      assertArrayEquals(
          INDENTED.writeValueAsBytes(value), JsonValues.toIndentedJson(value, false), context);
      assertArrayEquals(
          INDENTED_SORTED.writeValueAsBytes(value),
          JsonValues.toIndentedJson(value, true),
          context);
      if (value instanceof Map<?, ?> map) {
        assertEquals(map, parse(compact), context);
        assertEquals(PLAIN.readValue(compact, LinkedHashMap.class), parse(compact), context);
      }
    }
  }

  @Test
  void valuesOfOtherTypesAreWrittenAsDataBindingWritesThem() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("z", new BigDecimal("1.50"));
    value.put("float", 2.5f);
    value.put("short", (short) 7);
    value.put("numbered", Map.of(1, "one"));
    value.put("array", new String[] {"x", "y"});
    value.put("nested", Map.of("b", List.of(new BigDecimal("2.0")), "a", 1));
    assertEquals(PLAIN.writeValueAsString(value), JsonValues.toJson(value));
    assertArrayEquals(
        INDENTED_SORTED.writeValueAsBytes(value), JsonValues.toIndentedJson(value, true));
  }

  @Test
  void textThatIsNotOneObjectIsRefused() throws Exception {
    assertNull(parse("null"));
    for (String text : List.of("", "[1]", "\"text\"", "{\"a\":", "{\"a\" 1}")) {
      assertThrows(IOException.class, () -> parse(text), text);
      assertThrows(IOException.class, () -> PLAIN.readValue(text, LinkedHashMap.class), text);
    }
  }

  private static Map<String, Object> parse(String text) throws IOException {
    return JsonValues.parseObject(JsonValues.FACTORY.createParser(text));
  }

  private static List<Object> list(Random random) {
    List<Object> list = new ArrayList<>();
    for (int i = random.nextInt(6); i > 0; i--) {
      list.add(RandomJson.map(random, 1));
    }
    return list;
  }
}
