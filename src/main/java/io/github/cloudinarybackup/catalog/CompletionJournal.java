package io.github.cloudinarybackup.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The downloads completed since the catalog's last commit, one JSON record a line, beside the
 * catalog ({@code catalog.db.done.N}). Each line is one write to the operating system as the
 * download completes: a killed process (kill -9) cannot lose it, though it never waits for the
 * disk. A commit starts a new file and, once it is done, deletes the one before; so the files left
 * by a killed process hold exactly the completions its last commit did not, and the next run puts
 * them back instead of downloading them again.
 */
final class CompletionJournal implements AutoCloseable {

  private final Path catalog;
  private long generation;
  private FileChannel current;
  private Path currentFile;
  private Path previousFile;

  /**
   * @param after the highest number a file left over has: new files never take the place of one
   */
  CompletionJournal(Path catalog, long after) {
    this.catalog = catalog;
    this.generation = after;
  }

  /** The journal files a process left, oldest first. */
  static List<Path> leftOver(Path catalog) throws IOException {
    List<Path> files = new ArrayList<>();
    String prefix = catalog.getFileName() + ".done.";
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(catalog.toAbsolutePath().getParent())) {
      for (Path sibling : siblings) {
        String name = sibling.getFileName().toString();
        if (name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+")) {
          files.add(sibling);
        }
      }
    }
    files.sort((a, b) -> Long.compare(number(a, prefix), number(b, prefix)));
    return files;
  }

  /** The number of the newest of {@code files} (0 for none). */
  static long newest(Path catalog, List<Path> files) {
    String prefix = catalog.getFileName() + ".done.";
    return files.isEmpty() ? 0 : number(files.get(files.size() - 1), prefix);
  }

  private static long number(Path file, String prefix) {
    return Long.parseLong(file.getFileName().toString().substring(prefix.length()));
  }

  /** The records in journal files a process left; a line cut short by the kill is left out. */
  static List<String> read(List<Path> files) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--; // the last line was being written
      }
      try (BufferedReader in =
          new BufferedReader(new java.io.StringReader(new String(bytes, 0, end, UTF_8)))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }

  /** Adds a completed download's record (its JSON, one line). */
  synchronized void append(String json) {
    try {
      if (current == null) {
        currentFile = catalog.resolveSibling(catalog.getFileName() + ".done." + (++generation));
        current = CatalogStore.openOwnerOnly(currentFile, StandardOpenOption.TRUNCATE_EXISTING);
      }
      // String.getBytes, not Charset.encode: no encoder, CharBuffer and second copy per line
      ByteBuffer line = ByteBuffer.wrap((json.replace('\n', ' ') + "\n").getBytes(UTF_8));
      while (line.hasRemaining()) {
        current.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot note a completed download beside the catalog", e);
    }
  }

  /** A commit begins: what is appended from now on goes to a new file. */
  synchronized void rotate() throws IOException {
    if (current != null) {
      current.close();
      previousFile = currentFile;
      current = null;
      currentFile = null;
    }
  }

  /** The commit is done: the file it covered goes. */
  synchronized void committed() throws IOException {
    if (previousFile != null) {
      Files.deleteIfExists(previousFile);
      previousFile = null;
    }
  }

  /** Deletes every journal file (their records are in a committed catalog). */
  static void delete(List<Path> files) throws IOException {
    for (Path file : files) {
      Files.deleteIfExists(file);
    }
  }

  /** Closes the journal after the catalog's last commit: no file is left. */
  @Override
  public synchronized void close() throws IOException {
    rotate();
    committed();
  }
}
