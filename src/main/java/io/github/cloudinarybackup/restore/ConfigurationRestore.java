package io.github.cloudinarybackup.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.cloudinary.CloudinaryRetry;
import io.github.cloudinarybackup.cloudinary.CloudinaryWrites;
import io.github.cloudinarybackup.cloudinary.CloudinaryWrites.AlreadyThere;
import io.github.cloudinarybackup.cloudinary.CloudinaryWrites.Refused;
import io.github.cloudinarybackup.config.BackupConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back the account configuration a backup keeps in {@code .cloudinary-backup/config/}, in the
 * order cloudinary-upload-and-config.md §6.7 gives: before the assets, the structured metadata
 * fields (which the assets' values need), the named transformations and the folders (empty ones
 * included, parents first); after them, the upload presets and mappings, so that none of them can
 * act on a restored asset. Whatever exists already (a rerun, or an account that has it) is counted
 * as present and left as it is.
 */
final class ConfigurationRestore {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigurationRestore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One part of the configuration and what became of its items. */
  static final class Part {
    final String name;
    int created;
    int present;

    /** Folders that come back with their assets, not created on their own. */
    int withAssets;

    final List<String> failed = new ArrayList<>();

    Part(String name) {
      this.name = name;
    }

    int total() {
      return created + present + failed.size();
    }
  }

  private final Path folder;
  private final CloudinaryWrites writes;
  private final CloudinaryRetry retry;
  private final boolean dryRun;
  private final Map<String, Part> parts = new LinkedHashMap<>();

  ConfigurationRestore(
      Path backupDir, CloudinaryWrites writes, CloudinaryRetry retry, boolean dryRun) {
    this.folder = backupDir.resolve(BackupConfiguration.STATE_FOLDER).resolve("config");
    this.writes = writes;
    this.retry = retry;
    this.dryRun = dryRun;
  }

  /** Whether the backup kept any configuration. */
  boolean available() {
    return Files.isDirectory(folder);
  }

  /**
   * Metadata fields, named transformations, and the folders no asset of the backup is in (or
   * below): the others come back with their assets, and each folder created is an Admin call.
   *
   * @param assetFolders the folders the backup's assets are in
   */
  void beforeAssets(java.util.Set<String> assetFolders) throws Exception {
    for (Map<String, Object> field : items("metadata-fields.json")) {
      create(
          "metadata fields",
          String.valueOf(field.get("external_id")),
          () -> writes.createMetadataField(field));
    }
    for (Map<String, Object> t : items("named-transformations.json")) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> info =
          t.get("info") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
      String name = String.valueOf(t.get("name"));
      if (info.isEmpty()) {
        part("named transformations").failed.add(name + ": the backup has no definition for it");
        continue;
      }
      create("named transformations", name, () -> writes.createNamedTransformation(name, info));
    }
    List<String> paths = new ArrayList<>();
    java.util.Set<String> holding = new java.util.HashSet<>();
    for (String assetFolder : assetFolders) {
      String prefix = "";
      for (String segment : assetFolder.isEmpty() ? new String[0] : assetFolder.split("/")) {
        prefix = prefix.isEmpty() ? segment : prefix + "/" + segment;
        holding.add(prefix);
      }
    }
    for (Map<String, Object> f : items("folders.json")) {
      String path = String.valueOf(f.get("path"));
      if (holding.contains(path)) {
        part("folders").withAssets++;
      } else {
        paths.add(path);
      }
    }
    paths.sort(
        Comparator.comparingInt((String p) -> p.split("/").length)
            .thenComparing(Comparator.naturalOrder()));
    for (String path : paths) {
      create("folders", path, () -> writes.createFolder(path));
    }
  }

  /** Upload presets and mappings. */
  void afterAssets() throws Exception {
    for (Map<String, Object> preset : items("upload-presets.json")) {
      String name = String.valueOf(preset.get("name"));
      @SuppressWarnings("unchecked")
      Map<String, Object> settings =
          preset.get("settings") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      boolean unsigned =
          Boolean.TRUE.equals(preset.get("unsigned"))
              || "true".equals(String.valueOf(preset.get("unsigned")));
      create("upload presets", name, () -> writes.createUploadPreset(name, unsigned, settings));
    }
    for (Map<String, Object> mapping : items("upload-mappings.json")) {
      String from = String.valueOf(mapping.get("folder"));
      create(
          "upload mappings",
          from,
          () -> writes.createUploadMapping(from, String.valueOf(mapping.get("template"))));
    }
  }

  List<Part> parts() {
    return List.copyOf(parts.values());
  }

  private void create(String partName, String item, Creation creation) throws Exception {
    Part part = part(partName);
    if (dryRun) {
      part.created++;
      return;
    }
    try {
      retry.call(
          "creating " + item + " (" + partName + ")",
          () -> {
            creation.run();
            return null;
          });
      part.created++;
    } catch (AlreadyThere e) {
      part.present++;
    } catch (Refused e) {
      part.failed.add(item + ": " + Messages.oneLine(e));
      LOG.warn("could not restore {} '{}': {}", partName, item, Messages.oneLine(e));
    }
  }

  private Part part(String name) {
    return parts.computeIfAbsent(name, Part::new);
  }

  private List<Map<String, Object>> items(String file) throws IOException {
    Path path = folder.resolve(file);
    if (!Files.isRegularFile(path)) {
      return List.of();
    }
    return JSON.readValue(path.toFile(), new TypeReference<List<Map<String, Object>>>() {});
  }

  @FunctionalInterface
  private interface Creation {
    void run() throws Exception;
  }
}
