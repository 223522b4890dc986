package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.UploadApi.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * restore through the packaged jar, into an empty emulated account over real HTTP with the SDK's
 * signed uploads: a mixed account (every resource and delivery type, hostile public_ids, tags,
 * context, structured metadata of every kind, a file large enough to go in parts, the
 * configuration) is backed up, restored, and the restored account backed up again and found
 * identical; a restore killed -9 halfway and rerun uploads each asset once; a second restore
 * uploads nothing.
 */
class RestoreIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path cwd;

  private JarProcess.Run jar(String url, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("-jar", JarProcess.JAR.toString()));
    command.addAll(List.of(args));
    return JarProcess.run(cwd, Map.of("CLOUDINARY_URL", url), command.toArray(String[]::new));
  }

  /**
   * A generated account plus what it lacks: hostile ids and values, every metadata type, a large
   * file, configuration.
   */
  private static EmulatorAccount mixed(FolderMode mode) {
    long seed = 5150 + mode.ordinal();
    System.out.println("RestoreIT account seed " + seed);
    EmulatorAccount account = EmulatorAccount.generate(seed, 60, mode);
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
                        Map.of("external_id", "green", "value", "Green", "state", "active")))))
        .metadataField(
            Map.of(
                "type",
                "enum",
                "external_id",
                "season",
                "label",
                "Season",
                "mandatory",
                false,
                "datasource",
                Map.of(
                    "values",
                    List.of(
                        Map.of("external_id", "summer", "value", "Summer", "state", "active")))))
        .metadataField(
            Map.of(
                "type", "date", "external_id", "shot_on", "label", "Shot on", "mandatory", false))
        .metadataField(
            Map.of("type", "string", "external_id", "note", "label", "Note", "mandatory", false))
        .metadataField(
            Map.of("type", "integer", "external_id", "count", "label", "Count", "mandatory", false))
        .uploadPreset("signed_one", false, Map.of("folder", "incoming", "tags", "a,b"))
        .uploadPreset("open_one", true, Map.of("context", "alt=x|caption=y"))
        .namedTransformation(
            "thumb", List.of(Map.of("crop", "scale", "width", 103), Map.of("effect", "sepia")))
        .uploadMapping("cdn", "https://cdn.example.com/")
        .folder("empty/nested/deeper");
    byte[] large = new byte[11_000_000];
    new SplittableRandom(seed).nextBytes(large);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("colors", List.of("red", "green"));
    metadata.put("season", "summer");
    metadata.put("shot_on", "2024-06-01");
    metadata.put("note", "A|B=C & D");
    metadata.put("count", 4);
    String[][] hostile = {
      {"image", "upload", "odd/a&b=c|d é 🎉", "jpg"},
      {"image", "private", "odd/../dots..", "png"},
      {"video", "authenticated", "clips/space name", "mp4"},
      {"raw", "upload", "docs/report & notes.tar.gz", null},
      {"image", "upload", "odd/%41 percent+plus", "gif"},
    };
    for (int i = 0; i < hostile.length; i++) {
      EmulatedAsset.Builder b =
          EmulatedAsset.builder()
              .resourceType(hostile[i][0])
              .type(hostile[i][1])
              .publicId(hostile[i][2])
              .format(hostile[i][3])
              .generatedContent(seed + i, 100 + 977 * i)
              .tags(List.of("hostile", "t&" + i))
              .context(Map.of("alt", "x=y|z", "caption", "R&D \\ back"))
              .metadata(metadata);
      if (mode == FolderMode.DYNAMIC) {
        b.assetFolder(i == 0 ? "" : "Hostile/Folder " + i).displayName("Display | " + i);
      }
      account.add(b.build());
    }
    EmulatedAsset.Builder big =
        EmulatedAsset.builder()
            .resourceType("video")
            .type("upload")
            .publicId("big/movie")
            .format("mp4")
            .content(large)
            .tags(List.of("large"));
    if (mode == FolderMode.DYNAMIC) {
      big.assetFolder("big").displayName("movie");
    }
    account.add(big.build());
    return account;
  }

  private static EmulatorAccount empty(FolderMode mode) {
    return new EmulatorAccount("restored-cloud", "987654321012345", "restoredSecretValue123", mode);
  }

  @ParameterizedTest
  @EnumSource(
      value = FolderMode.class,
      names = {"FIXED", "DYNAMIC"})
  void aBackupRestoredIntoAnEmptyAccountBacksUpIdentically(FolderMode mode) throws Exception {
    EmulatorAccount source = mixed(mode);
    EmulatorAccount target = empty(mode);
    try (CloudinaryEmulator from = CloudinaryEmulator.start(source);
        CloudinaryEmulator into = CloudinaryEmulator.start(target)) {
      JarProcess.Run backup = jar(from.cloudinaryUrl(), "--dir", "b");
      assertEquals(0, backup.exitCode(), backup.err() + backup.out());

      JarProcess.Run restore =
          jar(into.cloudinaryUrl(), "restore", "--dir", "b", "--chunk-size", "5000000");
      assertEquals(0, restore.exitCode(), restore.err() + restore.out());
      long originals = source.assets().stream().filter(EmulatedAsset::hasOriginal).count();
      assertTrue(
          restore.out().contains("uploaded      " + originals + " of " + originals), restore.out());
      assertTrue(
          into.uploads().uploads().stream().anyMatch(u -> u.outcome() == Outcome.PART),
          "the 11 MB file went in parts");
      assertTrue(
          !restore.out().contains(target.apiSecret())
              && !restore.err().contains(target.apiSecret()));

      JarProcess.Run again = jar(into.cloudinaryUrl(), "--dir", "c");
      assertEquals(0, again.exitCode(), again.err() + again.out());
      Map<String, Map<String, Object>> before = manifest(cwd.resolve("b"));
      Map<String, Map<String, Object>> after = manifest(cwd.resolve("c"));
      assertEquals(originals, after.size(), "every stored asset, and nothing else");
      for (Map.Entry<String, Map<String, Object>> asset : after.entrySet()) {
        assertEquals(before.get(asset.getKey()), asset.getValue(), asset.getKey());
      }
      for (String file :
          List.of(
              "metadata-fields.json",
              "upload-presets.json",
              "named-transformations.json",
              "upload-mappings.json")) {
        assertEquals(config(cwd.resolve("b"), file), config(cwd.resolve("c"), file), file);
      }
      assertEquals(
          folders(cwd.resolve("b")),
          folders(cwd.resolve("c")),
          "the folder tree, empty folders included");

      // a second restore finds everything there and sends nothing
      int uploads = into.uploads().uploads().size();
      JarProcess.Run second = jar(into.cloudinaryUrl(), "restore", "--dir", "b");
      assertEquals(0, second.exitCode(), second.err() + second.out());
      assertEquals(uploads, into.uploads().uploads().size(), second.out());
      assertTrue(second.out().contains("present       " + originals), second.out());
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"KILL", "INT", "TERM"})
  void aRestoreStoppedHalfwayAndRunAgainUploadsEachAssetOnce(String signal) throws Exception {
    EmulatorAccount source = EmulatorAccount.generate(77, 160, FolderMode.FIXED);
    EmulatorAccount target = empty(FolderMode.FIXED);
    try (CloudinaryEmulator from = CloudinaryEmulator.start(source);
        CloudinaryEmulator into = CloudinaryEmulator.start(target)) {
      assertEquals(0, jar(from.cloudinaryUrl(), "--dir", "b").exitCode());
      into.faults()
          .adminLatency(
              Duration.ofMillis(40)); // uploads answer after 40 ms too: the kill lands mid-way
      JarProcess restore =
          JarProcess.start(
              cwd,
              Map.of("CLOUDINARY_URL", into.cloudinaryUrl()),
              "-jar",
              JarProcess.JAR.toString(),
              "restore",
              "--dir",
              "b",
              "--concurrency",
              "4");
      restore.awaitWhileAlive(
          () -> {
            if (into.uploads().uploads().size() < 40) {
              return false;
            }
            // from now on an upload takes 5 s: the 100-odd left would take minutes, so the restore
            // cannot finish before it is stopped, and a stop waits for at most 5 s of uploads
            into.faults().adminLatency(Duration.ofSeconds(5));
            return true;
          });
      if (signal.equals("KILL")) {
        restore.kill();
      } else {
        restore.signal(signal);
        JarProcess.Run stopped = restore.await();
        assertEquals(
            signal.equals("INT") ? 130 : 143, stopped.exitCode(), stopped.err() + stopped.out());
        assertTrue(stopped.err().contains("restore interrupted by SIG" + signal), stopped.err());
      }
      int beforeRerun = into.uploads().uploads().size();
      into.faults().adminLatency(Duration.ZERO);
      long originals = source.assets().stream().filter(EmulatedAsset::hasOriginal).count();
      assertTrue(beforeRerun < originals, "killed halfway: " + beforeRerun + " of " + originals);

      JarProcess.Run rerun = jar(into.cloudinaryUrl(), "restore", "--dir", "b");
      assertEquals(0, rerun.exitCode(), rerun.err() + rerun.out());
      for (EmulatedAsset asset : source.assets()) {
        if (asset.hasOriginal()) {
          assertEquals(
              1,
              into.uploads().writesOf(asset.resourceType(), asset.type(), asset.publicId()),
              asset.toString());
        }
      }
      assertEquals(
          0,
          into.uploads().uploads().stream().filter(u -> u.outcome() == Outcome.EXISTING).count(),
          "the rerun sent nothing that had arrived");
      assertEquals(originals, target.size());
    }
  }

  @Test
  void aDryRunSendsNothingAndADifferentAssetIsLeftUnlessOverwrite() throws Exception {
    EmulatorAccount source = EmulatorAccount.generate(88, 20, FolderMode.FIXED);
    EmulatorAccount target = empty(FolderMode.FIXED);
    EmulatedAsset taken =
        source.assets().stream().filter(EmulatedAsset::hasOriginal).findFirst().orElseThrow();
    target.add(taken.toBuilder().assetId(null).content(new byte[] {1, 2, 3}).build());
    try (CloudinaryEmulator from = CloudinaryEmulator.start(source);
        CloudinaryEmulator into = CloudinaryEmulator.start(target)) {
      assertEquals(0, jar(from.cloudinaryUrl(), "--dir", "b").exitCode());
      JarProcess.Run dry = jar(into.cloudinaryUrl(), "restore", "--dir", "b", "--dry-run");
      assertEquals(0, dry.exitCode(), dry.err() + dry.out());
      assertTrue(
          dry.out()
              .contains(
                  "conflict      "
                      + taken.resourceType()
                      + "/"
                      + taken.type()
                      + "/"
                      + taken.publicId()),
          dry.out());
      assertEquals(0, into.uploads().uploads().size(), "a dry run uploads nothing");
      assertEquals(1, target.size());

      JarProcess.Run careful = jar(into.cloudinaryUrl(), "restore", "--dir", "b");
      assertEquals(1, careful.exitCode(), "the conflict is reported: " + careful.out());
      assertEquals(
          3,
          target
              .byPublicId(taken.resourceType(), taken.type(), taken.publicId())
              .orElseThrow()
              .bytes());

      JarProcess.Run forced = jar(into.cloudinaryUrl(), "restore", "--dir", "b", "--overwrite");
      assertEquals(0, forced.exitCode(), forced.err() + forced.out());
      assertEquals(
          taken.md5(),
          target
              .byPublicId(taken.resourceType(), taken.type(), taken.publicId())
              .orElseThrow()
              .md5());
    }
  }

  @Test
  void deletedSinceUndeletesWhatALaterBackupFoundGoneAndFiltersNarrowTheRestore() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(99, 40, FolderMode.FIXED);
    List<EmulatedAsset> stored =
        account.assets().stream()
            .filter(EmulatedAsset::hasOriginal)
            .sorted(java.util.Comparator.comparing(EmulatedAsset::publicId))
            .toList();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // taken before the first backup, which is then the last run to see the assets: after it
      String before = java.time.Instant.now().toString();
      assertEquals(0, jar(emulator.cloudinaryUrl(), "--dir", "b").exitCode());
      List<EmulatedAsset> gone = stored.subList(0, 3);
      gone.forEach(a -> account.remove(a.assetId()));
      JarProcess.Run second = jar(emulator.cloudinaryUrl(), "--dir", "b");
      assertTrue(second.out().contains("deleted       3 no longer"), second.out());

      // a filter that matches none of them: nothing to do
      JarProcess.Run none =
          jar(
              emulator.cloudinaryUrl(),
              "restore",
              "--dir",
              "b",
              "--deleted-since",
              before,
              "--prefix",
              "no-such-prefix");
      assertEquals(0, none.exitCode(), none.err() + none.out());
      assertTrue(none.out().contains("Restoring 0 assets"), none.out());

      JarProcess.Run undelete =
          jar(emulator.cloudinaryUrl(), "restore", "--dir", "b", "--deleted-since", before);
      assertEquals(0, undelete.exitCode(), undelete.err() + undelete.out());
      assertTrue(undelete.out().contains("uploaded      3 of 3"), undelete.out());
      for (EmulatedAsset a : gone) {
        assertEquals(
            a.md5(),
            account.byPublicId(a.resourceType(), a.type(), a.publicId()).orElseThrow().md5());
      }
      assertEquals(3, emulator.uploads().uploads().size(), "only the deleted ones were sent");

      // tags and resource types narrow a restore into an empty account
      EmulatorAccount target = empty(FolderMode.FIXED);
      try (CloudinaryEmulator into = CloudinaryEmulator.start(target)) {
        JarProcess.Run raw =
            jar(into.cloudinaryUrl(), "restore", "--dir", "b", "--resource-type", "raw");
        assertEquals(0, raw.exitCode(), raw.err() + raw.out());
        long rawCount =
            stored.stream()
                .filter(a -> a.resourceType().equals("raw") && !gone.contains(a))
                .count();
        assertEquals(rawCount, target.size());
        assertTrue(target.assets().stream().allMatch(a -> a.resourceType().equals("raw")));
      }
    }
  }

  @Test
  void asOfRestoresTheFileKeptForThatDate() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(61, 12, FolderMode.FIXED);
    EmulatedAsset original =
        account.assets().stream()
            .filter(EmulatedAsset::hasOriginal)
            .min(java.util.Comparator.comparing(EmulatedAsset::publicId))
            .orElseThrow();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      assertEquals(0, jar(emulator.cloudinaryUrl(), "--dir", "b", "--keep-versions").exitCode());
      EmulatedAsset changed =
          original.toBuilder()
              .version(original.version() + 1000)
              .content("the new version".getBytes())
              .build();
      account.replace(changed);
      JarProcess.Run second = jar(emulator.cloudinaryUrl(), "--dir", "b", "--keep-versions");
      assertEquals(0, second.exitCode(), second.err() + second.out());
      long others = account.assets().stream().filter(EmulatedAsset::hasOriginal).count() - 1;

      String between = java.time.Instant.ofEpochSecond(original.version() + 10).toString();
      EmulatorAccount target = empty(FolderMode.FIXED);
      try (CloudinaryEmulator into = CloudinaryEmulator.start(target)) {
        JarProcess.Run restore =
            jar(into.cloudinaryUrl(), "restore", "--dir", "b", "--as-of", between);
        assertEquals(0, restore.exitCode(), restore.err() + restore.out());
        assertEquals(
            original.md5(),
            target
                .byPublicId(original.resourceType(), original.type(), original.publicId())
                .orElseThrow()
                .md5(),
            "the file kept for that date, not the latest");
        long newer =
            account.assets().stream()
                    .filter(a -> a.hasOriginal() && a.version() > original.version() + 10)
                    .count()
                - 1; // the changed one has a kept file
        assertEquals(others + 1 - newer, target.size(), restore.out());
        assertTrue(restore.out().contains("not kept      " + newer), restore.out());
      }
      EmulatorAccount latest = empty(FolderMode.FIXED);
      try (CloudinaryEmulator into = CloudinaryEmulator.start(latest)) {
        assertEquals(0, jar(into.cloudinaryUrl(), "restore", "--dir", "b").exitCode());
        assertEquals(
            changed.md5(),
            latest
                .byPublicId(original.resourceType(), original.type(), original.publicId())
                .orElseThrow()
                .md5(),
            "without --as-of, the latest");
      }
    }
  }

  @Test
  void badOptionsAreRefusedWithTheirReasonAndNothingIsSent() throws Exception {
    JarProcess.Run noCatalog = jar("cloudinary://1:2@c", "restore", "--dir", "nowhere");
    assertEquals(2, noCatalog.exitCode());
    assertTrue(noCatalog.err().contains("no catalog at "), noCatalog.err());
    Files.createDirectories(cwd.resolve("b/.cloudinary-backup"));
    Files.writeString(cwd.resolve("b/.cloudinary-backup/catalog.db"), "");
    JarProcess.Run chunk =
        jar("cloudinary://1:2@c", "restore", "--dir", "b", "--chunk-size", "1000");
    assertEquals(2, chunk.exitCode());
    assertTrue(chunk.err().contains("--chunk-size must be at least 5000000"), chunk.err());
    JarProcess.Run date =
        jar("cloudinary://1:2@c", "restore", "--dir", "b", "--deleted-since", "yesterday");
    assertEquals(2, date.exitCode());
    assertTrue(date.err().contains("--deleted-since must be a date"), date.err());
  }

  /**
   * Stored assets by resource_type/type/public_id, without what a new upload changes (ids,
   * versions, times, paths).
   */
  private static Map<String, Map<String, Object>> manifest(Path dir) throws Exception {
    Map<String, Map<String, Object>> assets = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve(".cloudinary-backup/manifest.jsonl"))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> r = new HashMap<>(JSON.readValue(line, Map.class));
      if (!"ok".equals(r.get("status"))) {
        continue;
      }
      for (String volatileKey :
          List.of(
              "asset_id", "version", "created_at", "backed_up_at", "url", "secure_url", "path")) {
        r.remove(volatileKey);
      }
      assets.put(r.get("resource_type") + "/" + r.get("type") + "/" + r.get("public_id"), r);
    }
    return assets;
  }

  private static Object config(Path dir, String file) throws Exception {
    return JSON.readValue(dir.resolve(".cloudinary-backup/config/" + file).toFile(), Object.class);
  }

  private static TreeSet<String> folders(Path dir) throws Exception {
    TreeSet<String> paths = new TreeSet<>();
    for (Object f : (List<?>) config(dir, "folders.json")) {
      paths.add(String.valueOf(((Map<?, ?>) f).get("path")));
    }
    return paths;
  }
}
