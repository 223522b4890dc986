package io.github.cloudinarybackup.catalog;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Records set aside on disk, one JSON line each, to be put into the catalog once a pass over it is
 * over: the manifest pass marks the assets an account no longer has while it reads the catalog, and
 * an account that lost most of its assets would not fit in memory as a list.
 */
public final class RecordSpill implements AutoCloseable {

  public static final String FILE_NAME = "records.spill";

  private final Path file;
  private final BufferedWriter out;
  private long count;

  private RecordSpill(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** A new, empty spill file in {@code dir} (one an interrupted run left there is replaced). */
  public static RecordSpill create(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    return new RecordSpill(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Sets the record aside; returns it. */
  public AssetRecord add(AssetRecord record) {
    try {
      out.write(RecordJson.toJson(record));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set a record aside in " + file, e);
    }
    count++;
    return record;
  }

  public long count() {
    return count;
  }

  /** Reads the records back, in the order they were set aside. */
  public void forEach(Consumer<AssetRecord> visitor) throws IOException {
    out.flush();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        visitor.accept(RecordJson.fromJson(line));
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
    Files.deleteIfExists(file);
  }
}
