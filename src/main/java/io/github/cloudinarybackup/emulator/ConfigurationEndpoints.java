package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Admin API's configuration endpoints: {@code metadata_fields}, {@code upload_presets}, {@code
 * transformations} (the list, and one by name in both the SDK's {@code ?transformation=} form and
 * the docs' path form) and {@code upload_mappings}, paged with {@code max_results} (default 10, at
 * most 500) and an opaque {@code next_cursor} that is absent on the last page; and their creation
 * (what a restore sends), with Cloudinary's answers to a name already taken (409, or 400 for a
 * metadata field's external id).
 */
final class ConfigurationEndpoints {

  private final AccountConfiguration configuration;

  ConfigurationEndpoints(AccountConfiguration configuration) {
    this.configuration = configuration;
  }

  Map<String, Object> metadataFields() {
    return Map.of("metadata_fields", configuration.metadataFields()); // not paged
  }

  Map<String, Object> uploadPresets(QueryParams query) {
    return page("presets", configuration.uploadPresets(), query);
  }

  /**
   * The list shows names and flags; {@code named=true} keeps the named ones (all the emulator has).
   */
  Map<String, Object> transformations(QueryParams query) {
    String name = query.get("transformation");
    if (name != null) {
      return transformation(name);
    }
    List<Map<String, Object>> listed = new ArrayList<>();
    for (Map<String, Object> t : configuration.namedTransformations()) {
      Map<String, Object> entry = new LinkedHashMap<>(t);
      entry.remove("info");
      listed.add(entry);
    }
    return page("transformations", listed, query);
  }

  Map<String, Object> transformation(String name) {
    for (Map<String, Object> t : configuration.namedTransformations()) {
      if (t.get("name").equals(name) || t.get("name").equals("t_" + name)) {
        Map<String, Object> details = new LinkedHashMap<>(t);
        details.put("derived", List.of());
        return details;
      }
    }
    throw ApiError.notFound("Transformation " + name + " not found");
  }

  Map<String, Object> uploadMappings(QueryParams query) {
    String folder = query.get("folder");
    if (folder != null) {
      return configuration.uploadMappings().stream()
          .filter(m -> folder.equals(m.get("folder")))
          .findFirst()
          .orElseThrow(() -> ApiError.notFound("Mapping for folder " + folder + " not found"));
    }
    Map<String, Object> body = page("mappings", configuration.uploadMappings(), query);
    body.put("total_entries", configuration.uploadMappings().size());
    return body;
  }

  /** {@code POST metadata_fields} with the field as JSON. */
  Map<String, Object> createMetadataField(Map<String, Object> field) {
    Object id = field.get("external_id");
    if (id == null || String.valueOf(id).isEmpty() || field.get("type") == null) {
      throw ApiError.badRequest("Missing required parameter - external_id and type");
    }
    synchronized (configuration) {
      if (configuration.metadataFields().stream().anyMatch(f -> id.equals(f.get("external_id")))) {
        throw ApiError.badRequest("external id " + id + " already exists");
      }
      configuration.metadataField(field);
    }
    return field;
  }

  /** {@code POST upload_presets}: name, unsigned, and the settings as fields. */
  Map<String, Object> createUploadPreset(Map<String, String> form) {
    String name = require(form, "name");
    Map<String, Object> settings = new LinkedHashMap<>(form);
    settings.remove("name");
    settings.remove("unsigned");
    synchronized (configuration) {
      if (configuration.uploadPresets().stream().anyMatch(p -> name.equals(p.get("name")))) {
        throw new ApiError(409, "Upload preset " + name + " already exists");
      }
      configuration.uploadPreset(name, "true".equals(form.get("unsigned")), settings);
    }
    return Map.of("message", "created", "name", name);
  }

  /** {@code POST transformations} (the SDK's form: name and transformation as fields). */
  Map<String, Object> createTransformation(Map<String, String> form) {
    String name = require(form, "name");
    String definition = require(form, "transformation");
    String stored = name.startsWith("t_") ? name : "t_" + name;
    synchronized (configuration) {
      if (configuration.namedTransformations().stream()
          .anyMatch(t -> stored.equals(t.get("name")))) {
        throw new ApiError(409, "Transformation " + name + " already exists");
      }
      configuration.namedTransformation(name, TransformationText.parse(definition));
    }
    return Map.of("message", "created");
  }

  /** {@code POST upload_mappings}: folder and template. */
  Map<String, Object> createUploadMapping(Map<String, String> form) {
    String folder = require(form, "folder");
    String template = require(form, "template");
    synchronized (configuration) {
      if (configuration.uploadMappings().stream().anyMatch(m -> folder.equals(m.get("folder")))) {
        throw new ApiError(409, "Mapping for folder " + folder + " already exists");
      }
      configuration.uploadMapping(folder, template);
    }
    return Map.of("message", "created", "folder", folder);
  }

  private static String require(Map<String, String> form, String key) {
    String value = form.get(key);
    if (value == null || value.isEmpty()) {
      throw ApiError.badRequest("Missing required parameter - " + key);
    }
    return value;
  }

  private static Map<String, Object> page(
      String key, List<Map<String, Object>> items, QueryParams query) {
    String maxResults = query.get("max_results");
    int max;
    try {
      max = maxResults == null ? 10 : Integer.parseInt(maxResults);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid max_results " + maxResults);
    }
    return OffsetPage.of(key, items, max, query.get("next_cursor"));
  }
}
