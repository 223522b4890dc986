package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Admin API's configuration endpoints, read side: {@code metadata_fields}, {@code upload_presets},
 * {@code transformations} (the list, and one by name in both the SDK's {@code ?transformation=} form and the
 * docs' path form) and {@code upload_mappings}, paged with {@code max_results} (default 10, at most 500) and
 * an opaque {@code next_cursor} that is absent on the last page.
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

    /** The list shows names and flags; {@code named=true} keeps the named ones (all the emulator has). */
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
            return configuration.uploadMappings().stream().filter(m -> folder.equals(m.get("folder"))).findFirst()
                    .orElseThrow(() -> ApiError.notFound("Mapping for folder " + folder + " not found"));
        }
        Map<String, Object> body = page("mappings", configuration.uploadMappings(), query);
        body.put("total_entries", configuration.uploadMappings().size());
        return body;
    }

    private static Map<String, Object> page(String key, List<Map<String, Object>> items, QueryParams query) {
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
