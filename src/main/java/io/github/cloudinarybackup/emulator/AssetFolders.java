package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where an asset sits in the Media Library folder tree, in either folder mode, and the Folders API
 * built on it.
 */
final class AssetFolders {

  private AssetFolders() {}

  /**
   * Fixed mode's folder: the public_id up to its last slash, "" at the root and for remote
   * references.
   */
  static String publicIdFolder(EmulatedAsset asset) {
    if (!asset.hasOriginal()) {
      return ""; // e.g. a fetch public_id is a URL, whose slashes are no folders
    }
    int slash = asset.publicId().lastIndexOf('/');
    return slash < 0 ? "" : asset.publicId().substring(0, slash);
  }

  /** Dynamic mode's folder; assets built without one fall back to the public_id's folder. */
  static String assetFolder(EmulatedAsset asset) {
    return asset.assetFolder() != null ? asset.assetFolder() : publicIdFolder(asset);
  }

  /** Dynamic mode's display name; falls back to the last public_id segment. */
  static String displayName(EmulatedAsset asset) {
    return asset.displayName() != null
        ? asset.displayName()
        : asset.publicId().substring(asset.publicId().lastIndexOf('/') + 1);
  }

  static String folderOf(EmulatedAsset asset, FolderMode mode) {
    return mode == FolderMode.FIXED ? publicIdFolder(asset) : assetFolder(asset);
  }

  /**
   * {@code GET folders} (parent "") or {@code GET folders/<parent>}: the direct subfolders of a
   * folder.
   *
   * @throws ApiError 404 when no asset lives in or below {@code parent}
   */
  static Map<String, Object> subfolders(EmulatorAccount account, String parent) {
    FolderMode mode = account.folderMode();
    TreeSet<String> children = new TreeSet<>();
    boolean parentExists = parent.isEmpty();
    String parentKey = parent.toLowerCase(Locale.ROOT);
    List<String> known =
        new ArrayList<>(account.configuration().folders()); // explicit, maybe empty
    for (EmulatedAsset asset : account.assets()) {
      known.add(folderOf(asset, mode));
    }
    for (String folder : known) {
      if (folder.isEmpty()) {
        continue;
      }
      String rest;
      if (parent.isEmpty()) {
        rest = folder;
      } else if (folder.toLowerCase(Locale.ROOT).equals(parentKey)) {
        parentExists = true;
        continue;
      } else if (folder.toLowerCase(Locale.ROOT).startsWith(parentKey + "/")) {
        parentExists = true;
        rest = folder.substring(parent.length() + 1);
      } else {
        continue;
      }
      int slash = rest.indexOf('/');
      children.add(slash < 0 ? rest : rest.substring(0, slash));
    }
    if (!parentExists) {
      throw ApiError.notFound("Can't find folder with path " + parent);
    }
    List<Map<String, Object>> folders = new ArrayList<>();
    for (String name : children) {
      String path = parent.isEmpty() ? name : parent + "/" + name;
      Map<String, Object> folder = new LinkedHashMap<>();
      folder.put("name", name);
      folder.put("path", path);
      folder.put("external_id", externalId(account, path));
      folders.add(folder);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("folders", folders);
    body.put("next_cursor", null);
    body.put("total_count", folders.size());
    return body;
  }

  /**
   * {@code POST folders/search} without an expression: every folder, sorted by path, {@code
   * max_results} (default 50, at most 500) a page, with an opaque {@code next_cursor} until the
   * last page.
   */
  static Map<String, Object> search(EmulatorAccount account, Map<String, Object> request) {
    if (!account.configuration().folderSearch()) {
      throw ApiError.notFound("Folder search is not available for this account");
    }
    Object expression = request.get("expression");
    if (expression != null && !expression.toString().isBlank()) {
      throw ApiError.badRequest("the emulator's folder search takes no expression");
    }
    TreeSet<String> all = new TreeSet<>();
    List<String> known = new ArrayList<>(account.configuration().folders());
    for (EmulatedAsset asset : account.assets()) {
      known.add(folderOf(asset, account.folderMode()));
    }
    for (String folder : known) {
      String prefix = "";
      for (String segment : folder.isEmpty() ? new String[0] : folder.split("/")) {
        prefix = prefix.isEmpty() ? segment : prefix + "/" + segment;
        all.add(prefix);
      }
    }
    List<Map<String, Object>> folders = new ArrayList<>();
    for (String path : all) {
      Map<String, Object> folder = new LinkedHashMap<>();
      folder.put("name", path.substring(path.lastIndexOf('/') + 1));
      folder.put("path", path);
      folder.put("created_at", ResourceJson.timestamp(account.createdAt()));
      folder.put("external_id", externalId(account, path));
      folders.add(folder);
    }
    Object cursor = request.get("next_cursor");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total_count", folders.size());
    body.put("time", 3);
    body.putAll(
        OffsetPage.of(
            "folders",
            folders,
            request.get("max_results") instanceof Number n ? n.intValue() : 50,
            cursor == null ? null : cursor.toString()));
    return body;
  }

  /**
   * {@code POST folders/<path>}: creates the folder and its parents; 409 when it exists already (as
   * the OAS has it).
   */
  static Map<String, Object> create(EmulatorAccount account, String path) {
    String clean = path.replaceAll("^/+|/+$", "");
    if (clean.isEmpty()) {
      throw ApiError.badRequest("Missing required parameter - folder");
    }
    synchronized (account.configuration()) {
      boolean exists =
          account.configuration().folders().contains(clean)
              || account.assets().stream()
                  .anyMatch(
                      a -> {
                        String f = folderOf(a, account.folderMode());
                        return f.equals(clean) || f.startsWith(clean + "/");
                      });
      if (exists) {
        throw new ApiError(409, "Folder " + clean + " already exists");
      }
      account.configuration().folder(clean);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("path", clean);
    body.put("name", clean.substring(clean.lastIndexOf('/') + 1));
    body.put("external_id", externalId(account, clean));
    return body;
  }

  private static String externalId(EmulatorAccount account, String path) {
    byte[] key = (account.cloudName() + "/" + path).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(EmulatedAsset.md5Digest().digest(key)).substring(0, 30);
  }
}
