package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.layout.PathAllocator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The older files {@code backup.keep-versions} kept beside an asset's current one ({@code
 * <name>.v<version>.<ext>}, maybe with a {@code ~<id>} a collision added), each claimed in the
 * catalog for {@code <asset key>@v<version>}: a file that only looks like one, but that the catalog
 * does not give to the asset, is never taken.
 */
final class KeptVersions {

  /** A kept file: its path relative to the backup folder, and the version it holds. */
  record Kept(String path, long version) {}

  private final Path root;
  private final PathAllocator claims;

  KeptVersions(Path root, PathAllocator claims) {
    this.root = root;
    this.claims = claims;
  }

  /** The newest kept version of the asset no newer than {@code version}, if one was kept. */
  Optional<Kept> newestUpTo(AssetRecord record, long version) throws IOException {
    if (record.path() == null) {
      return Optional.empty();
    }
    int slash = record.path().lastIndexOf('/');
    String folder = slash < 0 ? "" : record.path().substring(0, slash + 1);
    String name = record.path().substring(slash + 1);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    Pattern kept =
        Pattern.compile(Pattern.quote(stem) + "\\.v(\\d+)(~[^/]*)?" + Pattern.quote(ext));
    Path dir = folder.isEmpty() ? root : root.resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Kept best = null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        Matcher m = kept.matcher(fileName);
        if (!m.matches() || !Files.isRegularFile(file)) {
          continue;
        }
        long v = Long.parseLong(m.group(1));
        String relative = folder + fileName;
        boolean owned = (record.key() + "@v" + v).equals(claims.owner(relative));
        if (owned && v <= version && (best == null || v > best.version())) {
          best = new Kept(relative, v);
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
