package io.github.cloudinarybackup.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cloudinarybackup.catalog.AssetRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * With {@code backup.sidecars=true}: beside each original, {@code <file>.cloudinary.json} holds the
 * resource as the Admin API listed it (tags, context and structured metadata included), written
 * atomically whenever the asset's record is.
 */
final class Sidecars {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BackupSession session;

  Sidecars(BackupSession session) {
    this.session = session;
  }

  /** Writes the sidecar of a record with a file, if sidecars are on. */
  void write(AssetRecord record) throws IOException {
    Path sidecar = path(record);
    if (sidecar == null) {
      return;
    }
    Path temp = sidecar.resolveSibling(BackupSession.TEMP_PREFIX + sidecar.getFileName());
    JSON.writeValue(temp.toFile(), record.resource());
    Files.move(temp, sidecar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes the sidecar if sidecars are on and it is missing (e.g. they were just turned on). */
  void ensure(AssetRecord record) throws IOException {
    Path sidecar = path(record);
    if (sidecar != null && !Files.exists(sidecar)) {
      write(record);
    }
  }

  private Path path(AssetRecord record) {
    if (!session.config().sidecars() || record.path() == null) {
      return null;
    }
    return session.config().backupDir().resolve(record.path() + BackupSession.SIDECAR_SUFFIX);
  }
}
