package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.cloudinary.RandomJson;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The record's JSON is written and read field by field; data binding (what wrote every catalog
 * before) is the oracle: the same text for the same record, the same record from the same text.
 */
class RecordJsonTest {

  /** As RecordJson configured data binding before it streamed. */
  private static final ObjectMapper DATABIND =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Test
  void writesWhatDataBindingWroteAndReadsWhatItRead() throws Exception {
    long seed = Long.getLong("recordjson.seed", 20261202L);
    System.out.println("RecordJsonTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      AssetRecord record = randomRecord(random);
      String expected = DATABIND.writeValueAsString(record);
      String json = RecordJson.toJson(record);
      assertEquals(expected, json, "record " + i + " (seed " + seed + ")");
      assertEquals(DATABIND.readValue(json, AssetRecord.class), RecordJson.fromJson(json));
      assertEquals(record, RecordJson.fromJson(json), "record " + i + " (seed " + seed + ")");
    }
  }

  @Test
  void readsValuesOfOtherTypesAsDataBindingDoes() throws Exception {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("big", new BigInteger("123456789012345678901234567890"));
    resource.put("decimal", new BigDecimal("1.50"));
    resource.put("float", 2.5f);
    resource.put("short", (short) 7);
    resource.put("numbered", Map.of(1, "one"));
    resource.put("array", new String[] {"x", "y"});
    AssetRecord record = record(resource);
    String json = RecordJson.toJson(record);
    assertEquals(DATABIND.writeValueAsString(record), json);
    assertEquals(DATABIND.readValue(json, AssetRecord.class), RecordJson.fromJson(json));
  }

  @Test
  void fieldsOfANewerBuildAreSkippedAndMissingOnesDefault() throws Exception {
    String json =
        "{\"key\":\"k\",\"later\":{\"nested\":[1,{\"x\":null}]},\"version\":\"12\","
            + "\"bytes\":3.0,\"status\":\"ok\",\"format\":7,\"extra\":[true]}";
    AssetRecord read = RecordJson.fromJson(json);
    assertEquals(DATABIND.readValue(json, AssetRecord.class), read);
    assertEquals(12, read.version());
    assertEquals(3, read.bytes());
    assertEquals("7", read.format());
    assertEquals(AssetStatus.OK, read.status());
    assertNull(read.resource());
  }

  @Test
  void unreadableRecordsSaySo() {
    for (String json :
        List.of("", "[1]", "{\"key\":", "{\"status\":\"lost\"}", "{\"version\":\"many\"}")) {
      assertThrows(UncheckedIOException.class, () -> RecordJson.fromJson(json), json);
      assertThrows(Exception.class, () -> DATABIND.readValue(json, AssetRecord.class), json);
    }
  }

  private static AssetRecord randomRecord(Random random) {
    AssetStatus[] statuses = AssetStatus.values();
    return new AssetRecord(
        text(random),
        text(random),
        text(random),
        text(random),
        text(random),
        random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(2_000_000_000),
        text(random),
        random.nextInt(4) == 0 ? -1 : Math.abs(random.nextLong()),
        text(random),
        text(random),
        random.nextInt(6) == 0 ? null : statuses[random.nextInt(statuses.length)],
        text(random),
        random.nextInt(1 << 20),
        text(random),
        text(random),
        text(random),
        text(random),
        text(random),
        random.nextInt(8) == 0 ? null : RandomJson.map(random, 0));
  }

  private static String text(Random random) {
    return random.nextInt(5) == 0
        ? null
        : RandomJson.TEXTS[random.nextInt(RandomJson.TEXTS.length)] + random.nextInt(9);
  }

  private static AssetRecord record(Map<String, Object> resource) {
    return new AssetRecord(
        "k",
        "a",
        "p",
        "image",
        "upload",
        1,
        "jpg",
        2,
        null,
        null,
        AssetStatus.OK,
        null,
        0,
        null,
        null,
        null,
        null,
        "run",
        resource);
  }
}
