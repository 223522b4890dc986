package io.github.cloudinarybackup.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mapdb.DBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a failure inside MapDB is damage on disk, and the verdict a run that found damage leaves
 * beside the catalog: the next run does not trust the file even if it opens, and the damaged file
 * itself is never written to again.
 */
final class DamageVerdict {

  private static final Logger LOG = LoggerFactory.getLogger(DamageVerdict.class);

  private DamageVerdict() {}

  /** The file that holds the verdict on {@code catalog}. */
  static Path marker(Path catalog) {
    return catalog.resolveSibling(catalog.getFileName() + ".damaged");
  }

  /** The verdict an earlier run left, or null if none. */
  static String left(Path catalog) {
    Path verdict = marker(catalog);
    if (!Files.exists(verdict)) {
      return null;
    }
    try {
      return Files.readString(verdict).strip();
    } catch (IOException e) {
      return "unreadable verdict";
    }
  }

  /** Notes that {@code failure} showed the catalog damaged. */
  static void leave(Path catalog, Throwable failure) {
    try {
      Files.writeString(marker(catalog), describe(failure) + "\n");
    } catch (IOException notWritten) {
      LOG.warn("cannot note that the catalog is damaged: {}", notWritten.getMessage());
    }
  }

  /**
   * An I/O error (a full or failing disk, an interrupted thread that made the JVM close the file)
   * says nothing about what is on disk. A read past the end of the file does: a record points
   * there.
   */
  static boolean notDamage(RuntimeException e) {
    if (e instanceof DBException.VolumeEOF) {
      return false;
    }
    return e instanceof DBException.VolumeIOError
        || e instanceof DBException.VolumeClosed
        || e instanceof DBException.VolumeClosedByInterrupt
        || e instanceof DBException.Interrupted
        || e instanceof UncheckedIOException
            && !(e.getCause() instanceof com.fasterxml.jackson.core.JacksonException);
  }

  /** An exception as one short line: its type, and its message when it has one. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName()
            + ": "
            + message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
