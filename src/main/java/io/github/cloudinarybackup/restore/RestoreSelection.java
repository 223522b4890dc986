package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Which of the backup's assets a restore is about: the ones the account held at the last backup
 * (or, with {@code deletedSince}, the ones deleted upstream since then, from the catalog's
 * tombstones), narrowed by resource type, public_id prefix, folder and tags.
 */
final class RestoreSelection {

  private final RestoreOptions options;

  RestoreSelection(RestoreOptions options) {
    this.options = options;
  }

  boolean includes(AssetRecord record) {
    if (options.deletedSince() != null) {
      if (record.status() != AssetStatus.DELETED
          || record.lastSeen() == null
          || Instant.parse(record.lastSeen()).isBefore(options.deletedSince())) {
        return false;
      }
    } else if (record.status() == AssetStatus.DELETED || record.status() == AssetStatus.PENDING) {
      return false;
    }
    if (!options.resourceTypes().contains(record.resourceType())) {
      return false;
    }
    if (options.prefix() != null && !record.publicId().startsWith(options.prefix())) {
      return false;
    }
    CloudinaryResource resource = record.asResource();
    if (options.folder() != null && !inFolder(folderOf(resource), options.folder())) {
      return false;
    }
    return options.tags().isEmpty() || tagsOf(resource).stream().anyMatch(options.tags()::contains);
  }

  /** The asset's folder in either mode: asset_folder, else folder, else the public_id's path. */
  static String folderOf(CloudinaryResource r) {
    // "" is a folder too: the root, where a dynamic-mode asset with slashes in its public_id may
    // sit
    for (String key : new String[] {"asset_folder", "folder"}) {
      Object value = r.fields().get(key);
      if (value != null) {
        return value.toString();
      }
    }
    int slash = r.publicId().lastIndexOf('/');
    return slash < 0 ? "" : r.publicId().substring(0, slash);
  }

  static List<String> tagsOf(CloudinaryResource r) {
    Object tags = r.fields().get("tags");
    if (tags instanceof Collection<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static boolean inFolder(String folder, String wanted) {
    String w = wanted.replaceAll("^/+|/+$", "");
    return w.isEmpty() || folder.equals(w) || folder.startsWith(w + "/");
  }
}
