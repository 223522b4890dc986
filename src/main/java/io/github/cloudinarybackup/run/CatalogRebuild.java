package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.layout.PathAllocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a catalog that was lost, emptied or damaged from what the backup itself holds: {@code
 * manifest.jsonl} (and the sidecar beside an original, where there is one, for the full resource).
 * Each file is hashed again and adopted only when its path, size and MD5 agree with the manifest;
 * every asset keeps the path it had, so what is on disk is not downloaded again and no name changes
 * hands. A file that does not agree is downloaded again, to the same path.
 */
final class CatalogRebuild {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogRebuild.class);

  /** Sorts before every real run id: a rebuilt record was listed by no run of this catalog yet. */
  static final String REBUILT = "0000-00-00T00:00:00.000Z";

  /** The manifest's own fields, which are not part of the resource as Cloudinary lists it. */
  private static final Set<String> MANIFEST_FIELDS =
      Set.of("md5", "path", "status", "reason", "backed_up_at");

  private static final int BATCH = 256;

  /** What the rebuild found. */
  record Result(long adopted, long differing, long withoutFile) {}

  private final Catalog catalog;
  private final BackupFolder folder;
  private final PathAllocator claims;
  private final int threads;

  CatalogRebuild(Catalog catalog, BackupFolder folder, PathAllocator claims, int threads) {
    this.catalog = catalog;
    this.folder = folder;
    this.claims = claims;
    this.threads = Math.max(1, Math.min(threads, 4));
  }

  /** Whether {@code stateDir} holds a manifest to rebuild from. */
  static boolean possible(Path stateDir) {
    return Files.isRegularFile(stateDir.resolve("manifest.jsonl"));
  }

  Result rebuild(Path manifest) throws IOException {
    AtomicLong adopted = new AtomicLong();
    AtomicLong differing = new AtomicLong();
    AtomicLong withoutFile = new AtomicLong();
    ExecutorService hashing =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "catalog-rebuild");
              t.setDaemon(true);
              return t;
            });
    try (BufferedReader lines = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      List<Map<String, Object>> batch = new ArrayList<>(BATCH);
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        batch.add(parse(line));
        if (batch.size() == BATCH) {
          adopt(batch, hashing, adopted, differing, withoutFile);
          batch.clear();
        }
      }
      adopt(batch, hashing, adopted, differing, withoutFile);
    } finally {
      hashing.shutdownNow();
    }
    catalog.commit();
    return new Result(adopted.get(), differing.get(), withoutFile.get());
  }

  private static Map<String, Object> parse(String line) throws IOException {
    return JsonValues.parseObject(JsonValues.FACTORY.createParser(line));
  }

  private void adopt(
      List<Map<String, Object>> batch,
      ExecutorService hashing,
      AtomicLong adopted,
      AtomicLong differing,
      AtomicLong withoutFile)
      throws IOException {
    List<Future<AssetRecord>> records = new ArrayList<>(batch.size());
    for (Map<String, Object> line : batch) {
      records.add(hashing.submit(() -> record(line)));
    }
    for (Future<AssetRecord> future : records) {
      AssetRecord record;
      try {
        record = future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while rebuilding the catalog", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
      if (record == null) {
        continue;
      }
      boolean inTrash =
          record.path() != null && record.path().startsWith(BackupConfiguration.STATE_FOLDER + "/");
      if (record.path() != null && !inTrash && !claims.adopt(record.key(), record.path())) {
        LOG.warn(
            "{} is claimed by two assets in the manifest; {} will get a path of its own",
            record.path(),
            record.publicId());
        record =
            record
                .withPath(null, null)
                .withStatus(AssetStatus.FAILED, "its path was another asset's");
      }
      switch (record.status()) {
        case OK -> adopted.incrementAndGet();
        case FAILED -> differing.incrementAndGet();
        default -> withoutFile.incrementAndGet();
      }
      catalog.put(record);
    }
  }

  /**
   * The record a manifest line stands for, its file checked; {@code null} for a line to leave out.
   */
  private AssetRecord record(Map<String, Object> line) throws IOException {
    Map<String, Object> resource = new LinkedHashMap<>(line);
    MANIFEST_FIELDS.forEach(resource::remove);
    String path = text(line, "path");
    AssetStatus status = AssetStatus.ofWire(text(line, "status"));
    if (status == null || status == AssetStatus.PENDING || (path != null && !safe(path))) {
      return null;
    }
    Map<String, Object> sidecar = path == null ? null : sidecar(path, text(line, "asset_id"));
    io.github.cloudinarybackup.cloudinary.CloudinaryResource listed =
        new io.github.cloudinarybackup.cloudinary.CloudinaryResource(
            sidecar != null ? sidecar : resource);
    AssetRecord record = AssetRecord.listed(listed, REBUILT, text(line, "backed_up_at"));
    long bytes = number(line, "bytes");
    String md5 = text(line, "md5");
    if (status == AssetStatus.OK) {
      if (path != null
          && md5 != null
          && folder.holds(path, bytes)
          && md5.equalsIgnoreCase(folder.md5(path))) {
        return record
            .withPath(path, null)
            .backedUp(bytes, md5.toLowerCase(java.util.Locale.ROOT), text(line, "backed_up_at"));
      }
      return record
          .withPath(path, null)
          .withStatus(
              AssetStatus.FAILED,
              "the file did not match the manifest when the catalog was rebuilt");
    }
    // deleted, failed or without original: kept as the manifest says, with its path if it has one
    return record.withPath(path, null).withStatus(status, text(line, "reason"));
  }

  /** A path as the backup writes them: relative, inside the backup folder. */
  private boolean safe(String path) {
    try {
      folder.resolve(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The resource in the sidecar beside the original, if there is one and it is this asset's. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> sidecar(String path, String assetId) {
    String sidecar = path + BackupSession.SIDECAR_SUFFIX;
    if (!folder.isRegularFile(sidecar)) {
      return null;
    }
    try {
      Map<String, Object> resource =
          JsonValues.parseObject(JsonValues.FACTORY.createParser(folder.resolve(sidecar).toFile()));
      return resource != null && assetId != null && assetId.equals(resource.get("asset_id"))
          ? resource
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(Map<String, Object> line, String key) {
    Object value = line.get(key);
    return value == null ? null : value.toString();
  }

  private static long number(Map<String, Object> line, String key) {
    Object value = line.get(key);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
