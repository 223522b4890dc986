package io.github.cloudinarybackup.verify;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.layout.PathAllocator;
import io.github.cloudinarybackup.run.BackupSession;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a backup against its catalog without asking Cloudinary anything: every file the catalog
 * says is backed up (or the chosen subset of them) is read again and its size and MD5 compared with
 * the catalog's; files in the backup that no asset claims are reported as unexpected. A missing or
 * corrupt file is marked failed in the catalog, so that the next backup downloads it again.
 */
public final class BackupVerifier {

  /** What verify found for one file. */
  public enum Finding {
    OK,
    MISSING,
    CORRUPT,
    UNEXPECTED
  }

  /** One file that is not as the catalog has it. */
  public record Problem(Finding finding, String path, String detail) {}

  /** The outcome: counts, and each problem with its path. */
  public record Report(long checked, long ok, long inCatalog, List<Problem> problems) {
    public long count(Finding finding) {
      return problems.stream().filter(p -> p.finding() == finding).count();
    }

    public boolean clean() {
      return problems.isEmpty();
    }
  }

  private final BackupFolder folder;
  private final Catalog catalog;
  private final VerifySubset subset;

  public BackupVerifier(BackupFolder folder, Catalog catalog, VerifySubset subset) {
    this.folder = folder;
    this.catalog = catalog;
    this.subset = subset;
  }

  public Report verify() throws IOException {
    List<AssetRecord> backedUp = new ArrayList<>();
    catalog.forEach(
        record -> {
          if (record.status() == AssetStatus.OK && record.path() != null) {
            backedUp.add(record);
          }
        });
    List<Problem> problems = new ArrayList<>();
    long checked = 0;
    long ok = 0;
    for (AssetRecord record : subset.select(backedUp)) {
      checked++;
      Problem problem = check(record);
      if (problem == null) {
        ok++;
      } else {
        problems.add(problem);
        // the next backup downloads it again: a failed record is never "unchanged"
        catalog.put(
            record.withStatus(
                AssetStatus.FAILED,
                "verify found the file "
                    + problem.finding().name().toLowerCase(Locale.ROOT)
                    + ": "
                    + problem.detail()));
      }
    }
    catalog.commit();
    problems.addAll(unexpectedFiles(new PathAllocator(catalog.pathClaims())));
    return new Report(checked, ok, backedUp.size(), problems);
  }

  private Problem check(AssetRecord record) {
    String path = record.path();
    if (!folder.isRegularFile(path)) {
      return new Problem(Finding.MISSING, path, "no file there");
    }
    try {
      long size = Files.size(folder.resolve(path));
      if (size != record.writtenBytes()) {
        return new Problem(
            Finding.CORRUPT, path, size + " bytes where the catalog has " + record.writtenBytes());
      }
      if (record.md5() != null) {
        String md5 = folder.md5(path);
        if (!md5.equalsIgnoreCase(record.md5())) {
          return new Problem(
              Finding.CORRUPT, path, "MD5 " + md5 + " where the catalog has " + record.md5());
        }
      }
      return null;
    } catch (IOException e) {
      return new Problem(Finding.CORRUPT, path, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * Files no asset of the catalog holds (its own state folder and the sidecars of held files
   * aside).
   */
  private List<Problem> unexpectedFiles(PathAllocator claims) throws IOException {
    List<Problem> unexpected = new ArrayList<>();
    Path root = folder.root();
    if (!Files.isDirectory(root)) {
      return unexpected;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return dir.equals(root.resolve(BackupConfiguration.STATE_FOLDER))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String path = root.relativize(file).toString().replace('\\', '/');
            String held =
                path.endsWith(BackupSession.SIDECAR_SUFFIX)
                    ? path.substring(0, path.length() - BackupSession.SIDECAR_SUFFIX.length())
                    : path;
            if (claims.owner(held) == null) {
              unexpected.add(
                  new Problem(
                      Finding.UNEXPECTED,
                      path,
                      attributes.isSymbolicLink()
                          ? "a symbolic link no asset holds"
                          : "no asset of the catalog holds it"));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return unexpected;
  }
}
