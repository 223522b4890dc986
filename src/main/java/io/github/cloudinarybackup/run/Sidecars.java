package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import java.io.IOException;

/**
 * With {@code backup.sidecars=true}: beside each original, {@code <file>.cloudinary.json} holds the
 * resource as the Admin API listed it (tags, context and structured metadata included), written
 * atomically whenever the asset's record is.
 */
final class Sidecars {

  private final BackupSession session;

  Sidecars(BackupSession session) {
    this.session = session;
  }

  /** Writes the sidecar of a record with a file, if sidecars are on. */
  void write(AssetRecord record) throws IOException {
    String sidecar = path(record);
    if (sidecar != null) {
      session
          .folder()
          .writeAtomically(sidecar, out -> JsonValues.writeIndented(out, record.resource(), false));
    }
  }

  /** Writes the sidecar if sidecars are on and it is missing (e.g. they were just turned on). */
  void ensure(AssetRecord record) throws IOException {
    String sidecar = path(record);
    if (sidecar != null && !session.folder().isRegularFile(sidecar)) {
      write(record);
    }
  }

  /** Removes the sidecar of a record whose file moved (the new one is written beside the file). */
  void remove(AssetRecord before) throws IOException {
    String sidecar = path(before);
    if (sidecar != null && session.folder().isRegularFile(sidecar)) {
      java.nio.file.Files.delete(session.folder().resolve(sidecar));
    }
  }

  private String path(AssetRecord record) {
    if (!session.config().sidecars() || record.path() == null) {
      return null;
    }
    return record.path() + BackupSession.SIDECAR_SUFFIX;
  }
}
