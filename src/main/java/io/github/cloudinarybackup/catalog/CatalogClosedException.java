package io.github.cloudinarybackup.catalog;

import java.nio.file.Path;

/**
 * The catalog was closed (the run ended or was interrupted) before this use of it. Not damage: the
 * file on disk is as the last commit left it.
 */
public final class CatalogClosedException extends IllegalStateException {

  CatalogClosedException(Path file) {
    super("the catalog " + file.toAbsolutePath() + " is closed");
  }
}
