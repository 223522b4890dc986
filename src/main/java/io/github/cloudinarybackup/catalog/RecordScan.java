package io.github.cloudinarybackup.catalog;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One pass over every record without loading them all at once. Reading the records and their "seen"
 * marks out of MapDB is half the work: a helper thread does it while the caller's thread parses and
 * visits, with a bounded queue between them.
 */
final class RecordScan {

  /** Ends the stream of records from the reader thread; compared by identity. */
  private static final Stored END_OF_RECORDS = new Stored(null, null);

  /** A record as stored, decompressed, with its "seen" mark. */
  private record Stored(String json, String seenRun) {}

  private RecordScan() {}

  /**
   * @param problem what a failure while reading means (damage, a closed catalog); what it returns
   *     is thrown
   */
  static void visit(
      Map<String, byte[]> assets,
      Map<String, String> seen,
      UnaryOperator<RuntimeException> problem,
      Consumer<AssetRecord> visitor) {
    BlockingQueue<Stored> queue = new ArrayBlockingQueue<>(1024);
    AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (Map.Entry<String, byte[]> entry : assets.entrySet()) {
                  queue.put(
                      new Stored(
                          RecordCompression.decompress(entry.getValue()),
                          seen.get(entry.getKey())));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                readFailure.set(e);
              } finally {
                try {
                  queue.put(END_OF_RECORDS);
                } catch (InterruptedException e) {
                  // the visitor stopped and interrupted this thread: nobody waits for the end
                }
              }
            },
            "catalog-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      for (Stored stored = take(queue); stored != END_OF_RECORDS; stored = take(queue)) {
        AssetRecord record;
        try {
          record = RecordJson.read(stored.json(), stored.seenRun());
        } catch (RuntimeException e) {
          throw problem.apply(e);
        }
        visitor.accept(record);
      }
    } finally {
      reader.interrupt();
      // the reader uses MapDB: it must be done before the caller's thread lets a close in
      joinQuietly(reader);
    }
    if (readFailure.get() != null) {
      throw problem.apply(readFailure.get());
    }
  }

  private static void joinQuietly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Stored take(BlockingQueue<Stored> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the catalog", e);
    }
  }
}
