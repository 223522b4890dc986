package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static io.github.cloudinarybackup.it.BackupHarness.md5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup.sidecars writes the metadata beside each original; backup.manifest-csv exports the
 * manifest.
 */
class SidecarsAndCsvIT {

  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void sidecarsHoldTheMetadataAndTheCsvMatchesTheManifest() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(91, 150, FolderMode.FIXED);
    // a raw asset whose name looks like a sidecar must neither clobber one nor be taken for one
    account.add(
        EmulatedAsset.builder()
            .assetId("c".repeat(32))
            .publicId("docs/report.pdf.cloudinary.json")
            .resourceType("raw")
            .type("upload")
            .version(3)
            .content("{\"real\":true}".getBytes(StandardCharsets.UTF_8))
            .build());
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("sidecars");
      assertEquals(
          0,
          backup(emulator, dir, "backup.sidecars", "true", "backup.manifest-csv", "true")
              .exitCode());
      Map<String, Map<String, Object>> manifest = manifest(dir);
      ObjectMapper json = new ObjectMapper();
      for (EmulatedAsset a : account.assets()) {
        if (!a.hasOriginal()) {
          continue;
        }
        String path = (String) manifest.get(a.assetId()).get("path");
        assertEquals(a.md5(), md5(dir.resolve(path)));
        Map<String, Object> sidecar =
            json.readValue(dir.resolve(path + ".cloudinary.json").toFile(), Map.class);
        assertEquals(a.assetId(), sidecar.get("asset_id"));
        assertEquals(a.tags(), sidecar.get("tags"));
      }
      String raw = (String) manifest.get("c".repeat(32)).get("path");
      assertTrue(!raw.endsWith(".cloudinary.json"), "escaped: " + raw);

      Map<String, String> pathsFromCsv = new HashMap<>();
      try (Reader in = Files.newBufferedReader(dir.resolve(".cloudinary-backup/manifest.csv"))) {
        List<CSVRecord> rows =
            CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(in)
                .getRecords();
        assertEquals(manifest.size(), rows.size());
        for (CSVRecord row : rows) {
          pathsFromCsv.put(row.get("asset_id"), row.get("path"));
          assertEquals(
              String.valueOf(manifest.get(row.get("asset_id")).get("status")), row.get("status"));
        }
      }
      for (var e : manifest.entrySet()) {
        Object path = e.getValue().get("path");
        assertEquals(path == null ? "" : path, pathsFromCsv.get(e.getKey()));
      }
    }
  }
}
