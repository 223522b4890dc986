package io.github.cloudinarybackup.catalog;

import java.nio.file.Path;

/** The catalog file cannot be opened or read. It is never deleted or rewritten on this account. */
public class CatalogUnusableException extends RuntimeException {

  private final boolean damaged;

  public CatalogUnusableException(Path file, String why, boolean damaged, Throwable cause) {
    this("cannot open the catalog " + file.toAbsolutePath() + ": " + why, damaged, cause);
  }

  private CatalogUnusableException(String message, boolean damaged, Throwable cause) {
    super(message, cause);
    this.damaged = damaged;
  }

  /** MapDB failed on the catalog's own structures while a run was using it. */
  static CatalogUnusableException damagedInUse(Path file, Throwable cause) {
    return new CatalogUnusableException(
        "the catalog "
            + file.toAbsolutePath()
            + " is damaged ("
            + cause.getClass().getSimpleName()
            + " while reading it)",
        true,
        cause);
  }

  /** Damaged (a way out is to move it aside) rather than merely locked by another run. */
  public boolean damaged() {
    return damaged;
  }
}
