package io.github.cloudinarybackup.catalog;

import java.nio.file.Path;

/** The catalog file cannot be opened. It is never deleted or rewritten on this account. */
public class CatalogUnusableException extends RuntimeException {

  private final boolean damaged;

  public CatalogUnusableException(Path file, String why, boolean damaged, Throwable cause) {
    super("cannot open the catalog " + file.toAbsolutePath() + ": " + why, cause);
    this.damaged = damaged;
  }

  /** Damaged (a way out is to move it aside) rather than merely locked by another run. */
  public boolean damaged() {
    return damaged;
  }
}
