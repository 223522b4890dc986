package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestStampTest {

  /** What wrote the stamp before. */
  private static final ObjectMapper DATABIND = new ObjectMapper();

  @Test
  void readsAndWritesWhatDataBindingDid() throws Exception {
    Map<AssetStatus, Long> counts = new EnumMap<>(AssetStatus.class);
    counts.put(AssetStatus.OK, 2905L);
    counts.put(AssetStatus.NO_ORIGINAL, 95L);
    counts.put(AssetStatus.DELETED, 0L);
    ManifestStamp stamp = new ManifestStamp("image,video,raw|csv", 3000, counts);
    assertEquals(stamp, ManifestStamp.fromJson(DATABIND.writeValueAsString(stamp)));
    assertEquals(stamp, DATABIND.readValue(stamp.toJson(), ManifestStamp.class));
    assertEquals(stamp, ManifestStamp.fromJson(stamp.toJson()));
    assertEquals(
        "{\"scope\":\"image,video,raw|csv\",\"live\":3000,"
            + "\"counts\":{\"ok\":2905,\"no-original\":95,\"deleted\":0}}",
        stamp.toJson());
  }

  @Test
  void aStampThatCannotBeReadIsNone() {
    assertNull(ManifestStamp.fromJson(null));
    for (String json :
        List.of("", "[]", "{\"counts\":{\"lost\":1}}", "{\"counts\":[1]}", "{\"scope\":")) {
      assertNull(ManifestStamp.fromJson(json), json);
    }
  }
}
