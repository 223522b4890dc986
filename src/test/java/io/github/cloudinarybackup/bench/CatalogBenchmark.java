package io.github.cloudinarybackup.bench;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the catalog takes asset records, written as the backup writes them: one JSON record per
 * asset, with the resource as the Admin API returns it, commits batched every quarter second.
 *
 * <pre>
 * java -cp target/cloudinary-backup.jar:target/test-classes io.github.cloudinarybackup.bench.CatalogBenchmark [records] [threads]
 * </pre>
 */
public final class CatalogBenchmark {

  private CatalogBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Files.createTempDirectory("catalog-bench");
    try (Catalog catalog = Catalog.open(dir.resolve("catalog.db"))) {
      // warm-up on separate keys, so the JIT has compiled the write path
      write(catalog, 20_000, threads, "warm-");
      long start = System.nanoTime();
      write(catalog, records, threads, "");
      catalog.commit();
      double writeSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      AtomicLong seen = new AtomicLong();
      for (int i = 0; i < records; i++) {
        catalog.get(key("", i)).ifPresent(r -> seen.incrementAndGet());
      }
      double readSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "catalog: %,d records written in %.2f s = %,.0f records/s (%d threads, commits every 250 ms or 64 records);"
              + " read back %,d in %.2f s = %,.0f records/s; file %,d MB%n",
          records,
          writeSeconds,
          records / writeSeconds,
          threads,
          seen.get(),
          readSeconds,
          records / readSeconds,
          Files.size(dir.resolve("catalog.db")) / 1_000_000);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static void write(Catalog catalog, int records, int threads, String prefix)
      throws InterruptedException {
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers[t] =
          new Thread(
              () -> {
                String now = Instant.now().toString();
                for (int i = offset; i < records; i += threads) {
                  CloudinaryResource resource = new CloudinaryResource(resource(prefix, i));
                  AssetRecord record = AssetRecord.listed(resource, "bench", now);
                  catalog.put(
                      record.backedUp(resource.bytes(), "0cc175b9c0f1b6a831c399e269772661", now));
                  catalog.commitSoon();
                }
              });
      workers[t].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  /** A list item of the size and shape the Admin API returns. */
  private static Map<String, Object> resource(String prefix, int i) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("asset_id", key(prefix, i));
    r.put("public_id", "products/shoes/running/sneaker_" + i);
    r.put("format", "jpg");
    r.put("version", 1719305903L + i);
    r.put("resource_type", "image");
    r.put("type", "upload");
    r.put("created_at", "2024-06-25T08:58:23Z");
    r.put("bytes", 379132 + i);
    r.put("width", 1870);
    r.put("height", 1250);
    r.put("folder", "products/shoes/running");
    r.put(
        "url",
        "http://res.cloudinary.com/demo/image/upload/v1719305903/products/shoes/running/sneaker_"
            + i
            + ".jpg");
    r.put(
        "secure_url",
        "https://res.cloudinary.com/demo/image/upload/v1719305903/products/shoes/running/sneaker_"
            + i
            + ".jpg");
    r.put("tags", List.of("shoe", "red"));
    return r;
  }

  private static String key(String prefix, int i) {
    return prefix + String.format("%032x", i * 2654435761L);
  }
}
