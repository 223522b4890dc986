package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordSpillTest {

  @TempDir Path tmp;

  @Test
  void recordsComeBackAsTheyWereSetAsideAndTheFileGoesWithTheSpill() throws Exception {
    List<AssetRecord> set = new ArrayList<>();
    for (String id : List.of("plain", "line\nbreak \"quoted\"", "写真/📷 shots", "tab\there")) {
      CloudinaryResource resource =
          new CloudinaryResource(
              Map.of(
                  "asset_id",
                  "key-" + set.size(),
                  "public_id",
                  id,
                  "resource_type",
                  "raw",
                  "type",
                  "upload",
                  "version",
                  7,
                  "bytes",
                  3,
                  "tags",
                  List.of("a", "b")));
      set.add(
          AssetRecord.listed(resource, "run-1", "2026-11-24T00:00:00Z")
              .withStatus(AssetStatus.DELETED, "no longer in the account; the file is kept"));
    }
    Files.writeString(tmp.resolve(RecordSpill.FILE_NAME), "left by an interrupted run\n");
    List<AssetRecord> back = new ArrayList<>();
    try (RecordSpill spill = RecordSpill.create(tmp)) {
      set.forEach(spill::add);
      assertEquals(4, spill.count());
      spill.forEach(back::add);
      assertTrue(Files.exists(tmp.resolve(RecordSpill.FILE_NAME)));
    }
    assertEquals(set, back);
    assertFalse(Files.exists(tmp.resolve(RecordSpill.FILE_NAME)), "the spill file is removed");
  }
}
