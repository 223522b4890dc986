package io.github.cloudinarybackup.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** The catalog's own files are its owner's only: they list every asset, private ones included. */
final class CatalogFiles {

  private CatalogFiles() {}

  /** Opens {@code file} for writing, creating it {@code rw-------} where the filesystem has POSIX permissions. */
  static FileChannel openOwnerOnly(Path file, StandardOpenOption... more) throws IOException {
    Set<StandardOpenOption> options = new java.util.HashSet<>(Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    options.addAll(Set.of(more));
    return FileChannel.open(file, options, CatalogStore.ownerOnly(file));
  }
}
