package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.catalog.ManifestWriter;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.ConfigurationException;
import io.github.cloudinarybackup.files.BackupFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the catalog back to where the last process left it before a run starts: a damaged one set
 * aside, an empty one rebuilt from the manifest and the files, the downloads a killed process
 * completed after its last commit put back, the temporaries it left removed.
 */
final class CatalogRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogRecovery.class);

  private static final String REBUILD_ADVICE =
      "Run again without backup.catalog-recovery=stop to keep it aside and rebuild the catalog from"
          + " manifest.jsonl and the files on disk (nothing on disk is downloaded again)";

  private final BackupSession session;

  CatalogRecovery(BackupSession session) {
    this.session = session;
  }

  /**
   * Opens the catalog. A damaged one is moved aside (kept, with its redo file) and a new one
   * started, which {@link #recover} rebuilds from the manifest and the files on disk; with {@code
   * backup.catalog-recovery=stop} the run stops instead and nothing is changed.
   */
  static Catalog open(BackupConfiguration config) throws IOException {
    Path file = config.catalogFile();
    try {
      return Catalog.open(file);
    } catch (CatalogUnusableException e) {
      if (!e.damaged()) {
        throw new ConfigurationException(e.getMessage(), e);
      }
      if ("stop".equals(config.catalogRecovery())) {
        throw new ConfigurationException(
            e.getMessage() + "; nothing was changed. " + REBUILD_ADVICE, e);
      }
      Path aside =
          file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
      Files.move(file, aside);
      // its redo file goes with it: applied to the new catalog, it would damage that one
      Path redo = file.resolveSibling(file.getFileName() + ".redo");
      if (Files.exists(redo)) {
        Files.move(redo, aside.resolveSibling(aside.getFileName() + ".redo"));
      }
      Files.deleteIfExists(Catalog.damageMarker(file));
      LOG.warn(
          "{}; it was moved to {} and a new catalog is rebuilt from the manifest and the files on disk",
          e.getMessage(),
          aside.getFileName());
      return Catalog.open(file);
    }
  }

  /**
   * A new or emptied catalog beside a manifest is rebuilt from it; the downloads a killed process
   * completed after its last commit are put back.
   */
  void recover(Catalog catalog) throws IOException {
    if (catalog.needsRebuild() && CatalogRebuild.possible(session.config().stateDir())) {
      rebuild(catalog);
    }
    putBackCompletions(catalog);
  }

  /**
   * Downloads a killed process completed after its last commit: their records come back from the
   * completion journal, each kept only if its file is there, whole, so none is downloaded again.
   */
  private void putBackCompletions(Catalog catalog) throws IOException {
    int kept = 0;
    List<AssetRecord> completed = catalog.leftOverCompletions();
    for (AssetRecord record : completed) {
      if (record.path() != null
          && session.folder().holds(record.path(), record.writtenBytes())
          && session.allocator().adopt(record.key(), record.path())) {
        catalog.put(record);
        kept++;
      }
    }
    if (!completed.isEmpty()) {
      catalog.commit();
      LOG.info(
          "{} of the {} downloads the interrupted run completed after its last commit are kept",
          kept,
          completed.size());
    }
    catalog.leftOverCompletionsPutBack();
  }

  /** Rebuilt from the manifest, so nothing on disk is downloaded again. */
  private void rebuild(Catalog catalog) throws IOException {
    Path manifestFile = session.config().stateDir().resolve(ManifestWriter.FILE_NAME);
    LOG.info(
        "The catalog is new or empty: rebuilding it from {} and the files on disk", manifestFile);
    catalog.rebuildBegins();
    CatalogRebuild.Result result =
        new CatalogRebuild(
                catalog, session.folder(), session.allocator(), session.config().concurrency())
            .rebuild(manifestFile);
    catalog.rebuildDone();
    LOG.info(
        "Catalog rebuilt: {} files verified and kept, {} to download again, {} without a file",
        result.adopted(),
        result.differing(),
        result.withoutFile());
  }

  /**
   * Temporaries left by a crashed run; never a real asset, whose names cannot start so. Links are
   * not followed.
   */
  static void removeStaleTemporaries(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(p -> p.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX))
          .filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                  LOG.debug("removed the stale temporary {}", p);
                } catch (IOException e) {
                  LOG.warn("cannot remove the stale temporary {}: {}", p, e.getMessage());
                }
              });
    }
  }
}
