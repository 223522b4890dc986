package io.github.cloudinarybackup.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code manifest.jsonl}: one JSON object per catalogued asset, the human- and
 * script-readable account of the backup (and what a restore needs to rebuild public_ids). Written
 * beside and then renamed over the old one, so a reader never sees half a manifest.
 */
public final class ManifestWriter {

  public static final String FILE_NAME = "manifest.jsonl";
  public static final String CSV_FILE_NAME = "manifest.csv";

  /**
   * The CSV's columns: the manifest's fields, tags joined with ';', context and metadata as JSON.
   */
  private static final String[] CSV_COLUMNS = {
    "asset_id",
    "public_id",
    "resource_type",
    "type",
    "version",
    "format",
    "bytes",
    "md5",
    "path",
    "status",
    "reason",
    "folder",
    "asset_folder",
    "display_name",
    "created_at",
    "backed_up_at",
    "tags",
    "context",
    "metadata"
  };

  private final boolean csv;
  private final FileAttribute<?>[] fileAttributes;

  /**
   * @param csv also write manifest.csv, in the same pass
   * @param fileAttributes what the files are created with (owner-only permissions, or none)
   */
  public ManifestWriter(boolean csv, FileAttribute<?>... fileAttributes) {
    this.csv = csv;
    this.fileAttributes = fileAttributes;
  }

  /**
   * Writes the manifest into {@code stateDir} and returns its path.
   *
   * @param update turns a record into what the manifest (and the caller) should see, e.g. marks it
   *     deleted; the caller writes any change back after the pass
   * @param visitor also sees every (updated) record, so a summary can be counted in the same pass
   */
  public Path write(
      Catalog catalog,
      Path stateDir,
      UnaryOperator<AssetRecord> update,
      Consumer<AssetRecord> visitor)
      throws IOException {
    Files.createDirectories(stateDir);
    Path target = stateDir.resolve(FILE_NAME);
    Path temp = stateDir.resolve(FILE_NAME + ".tmp");
    Path csvTemp = stateDir.resolve(CSV_FILE_NAME + ".tmp");
    try (Writer out = newWriter(temp);
        CSVPrinter table =
            csv
                ? CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS).get().print(newWriter(csvTemp))
                : null) {
      catalog.forEach(
          stored -> {
            AssetRecord record = update.apply(stored);
            visitor.accept(record);
            Map<String, Object> line = line(record);
            try {
              try (JsonGenerator json = JsonValues.FACTORY.createGenerator(out)) {
                JsonValues.write(json, line, false);
              }
              out.write('\n');
              if (table != null) {
                table.printRecord(row(line));
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (csv) {
      Files.move(
          csvTemp,
          stateDir.resolve(CSV_FILE_NAME),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    return Files.move(
        temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A new file, created with the attributes asked for (a stale one is replaced, not reused). */
  private Writer newWriter(Path file) throws IOException {
    Files.deleteIfExists(file);
    return new BufferedWriter(
        Channels.newWriter(
            Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes),
            StandardCharsets.UTF_8),
        64 * 1024);
  }

  private static Object[] row(Map<String, Object> line) throws IOException {
    Object[] row = new Object[CSV_COLUMNS.length];
    for (int i = 0; i < CSV_COLUMNS.length; i++) {
      Object value = line.get(CSV_COLUMNS[i]);
      if (value instanceof Iterable<?> list) {
        value =
            String.join(
                ";",
                java.util.stream.StreamSupport.stream(list.spliterator(), false)
                    .map(String::valueOf)
                    .toList());
      } else if (value instanceof Map<?, ?>) {
        value = JsonValues.toJson(value);
      }
      row[i] = value;
    }
    return row;
  }

  /** The manifest's fields for one asset: identity, what was written where, and how it went. */
  static Map<String, Object> line(AssetRecord r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("asset_id", r.assetId());
    line.put("public_id", r.publicId());
    line.put("resource_type", r.resourceType());
    line.put("type", r.type());
    line.put("version", r.version());
    line.put("format", r.format());
    line.put("bytes", r.status() == AssetStatus.OK ? r.writtenBytes() : r.bytes());
    line.put("md5", r.md5());
    line.put("path", r.path());
    line.put("status", r.status().wire());
    if (r.reason() != null) {
      line.put("reason", r.reason());
    }
    Map<String, Object> resource = r.resource();
    for (String key :
        new String[] {
          "folder", "asset_folder", "display_name", "created_at", "tags", "context", "metadata"
        }) {
      if (resource != null && resource.get(key) != null) {
        line.put(key, resource.get(key));
      }
    }
    line.put("backed_up_at", r.backedUpAt());
    return line;
  }
}
