package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What an account holds besides its assets, in the Admin API's own JSON shapes: structured metadata
 * field definitions (with their datasources), upload presets, named transformations, upload
 * mappings, and folders created explicitly (which may be empty). Empty for a new account.
 */
public final class AccountConfiguration {

  private final List<Map<String, Object>> metadataFields = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> uploadPresets = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> namedTransformations = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> uploadMappings = new CopyOnWriteArrayList<>();
  private final Set<String> folders = new ConcurrentSkipListSet<>();
  private volatile boolean folderSearch = true;

  /**
   * @param field as {@code GET metadata_fields} lists it: type, external_id, label, datasource, …
   */
  public AccountConfiguration metadataField(Map<String, Object> field) {
    metadataFields.add(copy(field));
    return this;
  }

  /**
   * @param settings the preset's settings as the list shows them (strings)
   */
  public AccountConfiguration uploadPreset(
      String name, boolean unsigned, Map<String, Object> settings) {
    Map<String, Object> preset = new LinkedHashMap<>();
    preset.put("name", name);
    preset.put("unsigned", unsigned);
    preset.put("settings", copy(settings));
    uploadPresets.add(preset);
    return this;
  }

  /**
   * @param info the parsed parameters, e.g. {@code [{"crop":"scale","width":103}]}
   */
  public AccountConfiguration namedTransformation(String name, List<Map<String, Object>> info) {
    Map<String, Object> transformation = new LinkedHashMap<>();
    transformation.put("name", name.startsWith("t_") ? name : "t_" + name);
    transformation.put("allowed_for_strict", false);
    transformation.put("used", false);
    transformation.put("named", true);
    transformation.put("info", new ArrayList<>(info));
    namedTransformations.add(transformation);
    return this;
  }

  public AccountConfiguration uploadMapping(String folder, String template) {
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("folder", folder);
    mapping.put("template", template);
    uploadMappings.add(mapping);
    return this;
  }

  /** A folder created on its own (POST folders/<path>): listed even when no asset is in it. */
  public AccountConfiguration folder(String path) {
    String parent = "";
    for (String segment : path.split("/")) {
      parent = parent.isEmpty() ? segment : parent + "/" + segment;
      folders.add(parent);
    }
    return this;
  }

  /** false: {@code POST folders/search} answers 404, as for an account without the feature. */
  public AccountConfiguration folderSearch(boolean offered) {
    this.folderSearch = offered;
    return this;
  }

  boolean folderSearch() {
    return folderSearch;
  }

  List<Map<String, Object>> metadataFields() {
    return metadataFields;
  }

  List<Map<String, Object>> uploadPresets() {
    return uploadPresets;
  }

  List<Map<String, Object>> namedTransformations() {
    return namedTransformations;
  }

  List<Map<String, Object>> uploadMappings() {
    return uploadMappings;
  }

  Set<String> folders() {
    return folders;
  }

  private static Map<String, Object> copy(Map<String, Object> map) {
    return new LinkedHashMap<>(map);
  }
}
