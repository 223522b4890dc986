package io.github.cloudinarybackup.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Gives every asset a file of its own. Paths are claimed in a persistent map (the catalog's), keyed
 * case-insensitively because macOS and Windows filesystems are, so {@code Logo.png} and {@code
 * logo.png} never land on the same file there either. Folders are claimed too, so a raw file named
 * {@code docs} and a folder {@code docs/} cannot collide.
 *
 * <p>The asset that claims a path first keeps it; a later one gets {@code name~<asset id>.ext}.
 * Because the claims persist, every asset keeps its path across runs.
 */
public final class PathAllocator {

  private static final String FILE = "f:";
  private static final String FOLDER = "d:";
  private static final String SHARED = "";
  private static final int RESOLVED_FOLDERS_KEPT = 4096;

  private final ConcurrentMap<String, String> claims;

  /**
   * Folders already resolved and claimed: (resolved parent, wanted name) to the name given;
   * bounded, least recently used out, so memory stays flat.
   */
  private final Map<String, String> resolvedFolders =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > RESOLVED_FOLDERS_KEPT;
        }
      };

  public PathAllocator(ConcurrentMap<String, String> claims) {
    this.claims = claims;
  }

  /**
   * Claims a path for {@code assetKey}.
   *
   * @param segments the safe segments the layout asks for
   * @param previous the path this asset was given before, or {@code null}; kept when it still
   *     belongs to the asset and derives from the same requested path
   * @param previousRequested the requested path recorded with {@code previous}; {@code null} for a
   *     path adopted from disk when the catalog was rebuilt, which is kept
   * @return the claimed path, {@code /}-separated and relative to the backup folder
   */
  public synchronized String allocate(
      String assetKey, List<String> segments, String previous, String previousRequested) {
    String requested = String.join("/", segments);
    // the same request as before, or a path adopted from disk (no request known): the asset keeps
    // it
    if (previous != null
        && (previousRequested == null || requested.equals(previousRequested))
        && assetKey.equals(claims.get(FILE + fold(previous)))) {
      return previous;
    }
    if (previous != null) {
      release(assetKey, previous);
    }
    List<String> folders = claimFolders(segments.subList(0, segments.size() - 1));
    String prefix = folders.isEmpty() ? "" : String.join("/", folders) + "/";
    String name = segments.get(segments.size() - 1);
    for (int attempt = 0; attempt < 1000; attempt++) {
      String path = prefix + candidate(name, assetKey, attempt);
      String key = FILE + fold(path);
      if (claims.containsKey(FOLDER + fold(path))) {
        continue;
      }
      String owner = claims.putIfAbsent(key, assetKey);
      if (owner == null || owner.equals(assetKey)) {
        return path;
      }
    }
    throw new IllegalStateException("no free path for asset " + assetKey + " near " + requested);
  }

  /**
   * Claims the path an asset already has on disk, as a rebuilt catalog finds it, with its folders.
   *
   * @return false if another asset holds it
   */
  public synchronized boolean adopt(String assetKey, String path) {
    List<String> segments = List.of(path.split("/"));
    String prefix = "";
    for (String folder : segments.subList(0, segments.size() - 1)) {
      prefix = prefix.isEmpty() ? folder : prefix + "/" + folder;
      claims.putIfAbsent(FOLDER + fold(prefix), SHARED);
    }
    String owner = claims.putIfAbsent(FILE + fold(path), assetKey);
    return owner == null || owner.equals(assetKey);
  }

  /** The key of the asset (or kept version) that holds the file path, or {@code null}. */
  public String owner(String path) {
    return claims.get(FILE + fold(path));
  }

  /** Gives up a file path, e.g. when the asset's requested path changed. Folders stay claimed. */
  public synchronized void release(String assetKey, String path) {
    claims.remove(FILE + fold(path), assetKey);
  }

  private List<String> claimFolders(List<String> wanted) {
    List<String> folders = new ArrayList<>(wanted.size());
    for (String segment : wanted) {
      // folder claims are never released and no file can be claimed at a claimed folder's path,
      // so a folder resolved once stays resolved: most assets share the upper levels of their path
      String parent = String.join("/", folders);
      String key = parent + '\u0000' + segment;
      String candidate = resolvedFolders.get(key);
      if (candidate == null) {
        candidate = segment;
        while (claims.containsKey(FILE + fold(join(folders, candidate)))) {
          candidate = PathSanitizer.fitLength(candidate + "~dir");
        }
        claims.putIfAbsent(FOLDER + fold(join(folders, candidate)), SHARED);
        resolvedFolders.put(key, candidate);
      }
      folders.add(candidate);
    }
    return folders;
  }

  /** The name as requested, then with a short and a full asset id, then numbered. */
  private static String candidate(String name, String assetKey, int attempt) {
    if (attempt == 0) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String id = assetKey.replaceAll("[^A-Za-z0-9]", "");
    String suffix =
        switch (attempt) {
          case 1 -> id.substring(0, Math.min(8, id.length()));
          case 2 -> id;
          default -> id + "-" + attempt;
        };
    return PathSanitizer.fitLength(stem + "~" + suffix + ext);
  }

  private static String join(List<String> folders, String last) {
    return folders.isEmpty() ? last : String.join("/", folders) + "/" + last;
  }

  /** Case folding as case-insensitive filesystems do it, near enough (ß and SS fold alike). */
  static String fold(String path) {
    return path.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }
}
