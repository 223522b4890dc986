package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every backup keeps the account's configuration in .cloudinary-backup/config/, with a few Admin
 * calls: metadata fields with their datasources, presets, named transformations with their
 * definitions, mappings, and the folder tree with its empty folders; a change is named in the
 * summary.
 */
class AccountConfigurationIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path cwd;

  private static EmulatorAccount configured() {
    EmulatorAccount account = EmulatorAccount.generate(71, 30, FolderMode.DYNAMIC);
    account
        .configuration()
        .metadataField(
            Map.of(
                "type",
                "set",
                "external_id",
                "colors",
                "label",
                "Colors",
                "mandatory",
                false,
                "datasource",
                Map.of(
                    "values",
                    List.of(
                        Map.of("external_id", "red", "value", "Red", "state", "active"),
                        Map.of("external_id", "old", "value", "Old", "state", "inactive")))))
        .metadataField(
            Map.of(
                "type",
                "integer",
                "external_id",
                "rank",
                "label",
                "Rank",
                "mandatory",
                true,
                "default_value",
                5))
        .uploadPreset("signed_one", false, Map.of("folder", "in", "tags", "a,b"))
        .uploadPreset("open_one", true, Map.of("context", "k=v|x=y"))
        .namedTransformation(
            "small", List.of(Map.of("crop", "scale", "width", 103), Map.of("effect", "sepia")))
        .uploadMapping("cdn", "https://cdn.example.com/")
        .folder("empty/nested/deeper");
    return account;
  }

  private JarProcess.Run backup(CloudinaryEmulator emulator) throws Exception {
    return JarProcess.run(
        cwd,
        Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
        "-jar",
        JarProcess.JAR.toString(),
        "--dir",
        "b");
  }

  private Object saved(String file) throws Exception {
    return JSON.readValue(
        cwd.resolve("b/.cloudinary-backup/config/" + file).toFile(), Object.class);
  }

  @Test
  void theConfigurationIsKeptAndAChangeIsNamed() throws Exception {
    EmulatorAccount account = configured();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run first = backup(emulator);
      assertEquals(0, first.exitCode(), first.err() + first.out());
      // the generated account's own two fields (sku, rating: its assets' values need them), then
      // these two
      assertTrue(
          first
              .out()
              .contains(
                  "  config        4 metadata fields, 2 upload presets, 1 named transformations,"
                      + " 1 upload mappings, "),
          first.out());

      List<?> fields = (List<?>) saved("metadata-fields.json");
      assertEquals(4, fields.size());
      assertEquals(
          Map.of(
              "type",
              "set",
              "external_id",
              "colors",
              "label",
              "Colors",
              "mandatory",
              false,
              "datasource",
              Map.of(
                  "values",
                  List.of(
                      Map.of("external_id", "red", "value", "Red", "state", "active"),
                      Map.of("external_id", "old", "value", "Old", "state", "inactive")))),
          fields.get(2));
      List<?> transformations = (List<?>) saved("named-transformations.json");
      assertEquals(
          List.of(Map.of("crop", "scale", "width", 103), Map.of("effect", "sepia")),
          ((Map<?, ?>) transformations.get(0)).get("info"),
          "the definition, not only the name");
      assertEquals(
          List.of("signed_one", "open_one"),
          ((List<?>) saved("upload-presets.json"))
              .stream().map(p -> ((Map<?, ?>) p).get("name")).toList());
      assertEquals(
          "https://cdn.example.com/",
          ((Map<?, ?>) ((List<?>) saved("upload-mappings.json")).get(0)).get("template"));
      List<?> folders =
          ((List<?>) saved("folders.json")).stream().map(f -> ((Map<?, ?>) f).get("path")).toList();
      assertTrue(
          folders.containsAll(List.of("empty", "empty/nested", "empty/nested/deeper")),
          "empty folders too: " + folders);

      // a preset changes: the next backup says so, and keeps the new one
      account.configuration().uploadPreset("third", false, Map.of("folder", "x"));
      JarProcess.Run second = backup(emulator);
      assertEquals(0, second.exitCode(), second.err() + second.out());
      assertTrue(
          second.out().contains("changed since the last backup: upload presets ("), second.out());
      assertEquals(3, ((List<?>) saved("upload-presets.json")).size());
    }
  }

  /**
   * While the downloads are two pages behind, the listing makes the configuration's Admin calls in
   * the wait, one call at a time as ever, instead of all of them after its last page.
   */
  @Test
  void theConfigurationIsReadWhileTheDownloadsAreBehind() throws Exception {
    EmulatorAccount account =
        EmulatorAccount.generate(72, 12, FolderMode.FIXED, 64, 256, Set.of("upload"));
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // a page of 2 originals takes 2 s to download, one at a time: the third page finds two in
      // flight
      emulator.faults().deliveryLatency(Duration.ofSeconds(1));
      JarProcess.Run run =
          JarProcess.run(
              cwd,
              Map.of(
                  "CLOUDINARY_URL",
                  emulator.cloudinaryUrl(),
                  "BACKUP_PAGE_SIZE",
                  "2",
                  "BACKUP_CONCURRENCY",
                  "1"),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "b");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      List<String> admin =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN)
              .map(RecordedRequest::path)
              .toList();
      int firstConfigurationCall = -1;
      int lastListingCall = -1;
      for (int i = 0; i < admin.size(); i++) {
        if (firstConfigurationCall < 0 && admin.get(i).endsWith("/metadata_fields")) {
          firstConfigurationCall = i;
        }
        if (admin.get(i).matches(".*/resources/(image|video|raw)")) {
          lastListingCall = i;
        }
      }
      assertTrue(
          firstConfigurationCall >= 0 && firstConfigurationCall < lastListingCall,
          "the configuration's first call before the listing's last: " + admin);
      assertEquals(2, ((List<?>) saved("metadata-fields.json")).size(), "and all of it kept");
    }
  }

  /** --account-configuration=false: no configuration call, no config folder. */
  @Test
  void itCanBeTurnedOff() throws Exception {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(configured())) {
      JarProcess.Run run =
          JarProcess.run(
              cwd,
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "--dir",
              "b",
              "--account-configuration=false");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertTrue(!Files.exists(cwd.resolve("b/.cloudinary-backup/config")), "no config folder");
      assertTrue(
          emulator.requests().stream()
              .noneMatch(
                  r ->
                      r.path().contains("/folders")
                          || r.path().contains("/metadata_fields")
                          || r.path().contains("/upload_presets")
                          || r.path().contains("/transformations")
                          || r.path().contains("/upload_mappings")),
          "no configuration call: " + emulator.requests());
      assertTrue(!run.out().contains("  config "), run.out());
    }
  }

  /** An account that refuses the folder search gets its tree walked; the file is the same. */
  @Test
  void withoutTheFolderSearchTheTreeIsWalkedToTheSameFile() throws Exception {
    EmulatorAccount account = configured();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      assertEquals(0, backup(emulator).exitCode());
      byte[] searched = Files.readAllBytes(cwd.resolve("b/.cloudinary-backup/config/folders.json"));
      long searchCalls =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN && r.path().contains("/folders"))
              .count();

      account.configuration().folderSearch(false);
      emulator.clearRequests();
      JarProcess.Run walked = backup(emulator);
      assertEquals(0, walked.exitCode(), walked.err() + walked.out());
      assertArrayEquals(
          searched, Files.readAllBytes(cwd.resolve("b/.cloudinary-backup/config/folders.json")));
      assertTrue(!walked.out().contains("changed since the last backup"), walked.out());
      long walkCalls =
          emulator.requests().stream()
              .filter(r -> r.kind() == Kind.ADMIN && r.path().contains("/folders"))
              .count();
      assertTrue(
          walkCalls > searchCalls,
          "a walk takes a call per folder: " + walkCalls + " against " + searchCalls);
    }
  }
}
