package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.AccountInventory;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.CloudinaryRetry;
import io.github.cloudinarybackup.cloudinary.CloudinaryWrites;
import io.github.cloudinarybackup.cloudinary.FolderMode;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.layout.PathAllocator;
import io.github.cloudinarybackup.run.StoppableTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A restore from start to end: the catalog is read (and closed again), the target account checked
 * and listed once, the configuration put back around the assets, each asset planned ({@link
 * RestoreAction}) and the ones to send uploaded, {@code concurrency} at once, each file checked
 * against the catalog's size and MD5 first. Stopped by a signal, it starts no new upload and lets
 * the ones under way finish; since the listing tells a rerun what arrived, a restore stopped (or
 * killed) at any moment and run again sends each asset once.
 */
public final class RestoreRun implements StoppableTask {

  private record Item(AssetRecord record, RestoreAction action) {}

  /** A progress line this often while uploading, as a backup's. */
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RestoreOptions options;
  private final PrintStream out;
  private final PrintStream err;
  private final CloudinaryAdmin admin;
  private final CloudinaryWrites writes;
  private final CloudinaryRetry retry;
  private final Map<RestoreAction, AtomicInteger> counts = new EnumMap<>(RestoreAction.class);
  private final AtomicInteger uploaded = new AtomicInteger();

  /** --as-of: assets newer than the date with no older file kept. */
  private final AtomicInteger notKept = new AtomicInteger();

  private final AtomicLong uploadedBytes = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  /** Different assets found at the public_ids of the backup's: left as they are, reported. */
  private final List<String> conflicts = new ArrayList<>();

  private volatile boolean stopping;
  private volatile ExecutorService uploads;

  public RestoreRun(RestoreOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
    this.admin = new CloudinaryAdmin(options.target());
    this.writes = new CloudinaryWrites(options.target());
    this.retry = new CloudinaryRetry(options.attempts(), () -> stopping);
    for (RestoreAction action : RestoreAction.values()) {
      counts.put(action, new AtomicInteger());
    }
  }

  /**
   * @return the exit code
   */
  public int run() throws Exception {
    long started = System.nanoTime();
    FolderMode mode = admin.checkCredentialsAndFolderMode();
    Set<String> assetFolders = new HashSet<>();
    List<AssetRecord> selected = readCatalog(assetFolders);
    out.printf(
        Locale.ROOT,
        "Restoring %,d assets from %s into cloud '%s' (%s folders)%s%n",
        selected.size(),
        options.backupDir(),
        options.target().cloudName(),
        mode.name().toLowerCase(Locale.ROOT),
        options.dryRun() ? " — dry run: nothing is uploaded or created" : "");
    ConfigurationRestore configuration =
        new ConfigurationRestore(options.backupDir(), writes, retry, options.dryRun());
    boolean withConfiguration =
        options.configuration() && configuration.available() && options.deletedSince() == null;
    if (withConfiguration && !stopping) {
      configuration.beforeAssets(assetFolders);
    }
    AccountInventory inventory = AccountInventory.read(admin, retry);
    List<Item> plan = plan(selected, inventory);
    if (options.dryRun()) {
      for (Item item : plan) {
        out.printf(Locale.ROOT, "  %-13s %s%n", item.action().label(), item.record().locator());
      }
    } else {
      upload(plan, mode);
    }
    if (withConfiguration && !stopping) {
      configuration.afterAssets();
    }
    summary(configuration, withConfiguration, inventory, (System.nanoTime() - started) / 1e9);
    if (stopping) {
      return ExitCode.ABORTED;
    }
    boolean failed =
        !failures.isEmpty()
            || !conflicts.isEmpty()
            || configuration.parts().stream().anyMatch(p -> !p.failed.isEmpty());
    return failed ? ExitCode.FAILURES : ExitCode.OK;
  }

  /**
   * Reads the selected records and closes the catalog again, so that a backup may run meanwhile.
   */
  private List<AssetRecord> readCatalog(Set<String> assetFolders) throws Exception {
    RestoreSelection selection = new RestoreSelection(options);
    List<AssetRecord> selected = new ArrayList<>();
    try (Catalog catalog = Catalog.open(options.catalog())) {
      KeptVersions kept =
          new KeptVersions(options.backupDir(), new PathAllocator(catalog.pathClaims()));
      BackupFolder folder = new BackupFolder(options.backupDir(), false, true);
      IOException[] failure = new IOException[1];
      catalog.forEach(
          record -> {
            if (selection.includes(record)) {
              try {
                selected.add(options.asOf() == null ? record : asOf(record, kept, folder));
              } catch (IOException e) {
                failure[0] = e;
              }
            }
            if (record.status() != AssetStatus.DELETED && record.asResource().hasOriginal()) {
              assetFolders.add(RestoreSelection.folderOf(record.asResource()));
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    return selected;
  }

  /**
   * {@code --as-of}: the record as it stood then. A version is the instant of its upload, so the
   * file current at that instant is the asset's newest version no later than it: the current file,
   * an older one kept by backup.keep-versions, or none (the record then comes back without a file
   * and is counted as not kept).
   */
  private AssetRecord asOf(AssetRecord record, KeptVersions kept, BackupFolder folder)
      throws IOException {
    long at = options.asOf().getEpochSecond();
    if (record.version() <= at || !record.asResource().hasOriginal()) {
      return record;
    }
    Optional<KeptVersions.Kept> older = kept.newestUpTo(record, at);
    if (older.isEmpty()) {
      notKept.incrementAndGet();
      return null;
    }
    String path = older.get().path();
    return record
        .withPath(path, path)
        .backedUp(Files.size(folder.resolve(path)), folder.md5(path), record.backedUpAt());
  }

  private List<Item> plan(List<AssetRecord> selected, AccountInventory inventory) {
    List<Item> plan = new ArrayList<>(selected.size());
    counts.get(RestoreAction.NOT_KEPT).addAndGet(notKept.get());
    for (AssetRecord record : selected) {
      if (record == null) {
        continue; // --as-of found no file of it: counted as not kept
      }
      RestoreAction action;
      if (record.status() == AssetStatus.NO_ORIGINAL || !record.asResource().hasOriginal()) {
        action = RestoreAction.NO_ORIGINAL;
      } else if (record.md5() == null || record.path() == null) {
        action = RestoreAction.NOT_BACKED_UP;
      } else {
        action =
            inventory
                .etag(record.resourceType(), record.type(), record.publicId())
                .map(
                    etag ->
                        etag.equalsIgnoreCase(record.md5())
                            ? RestoreAction.PRESENT
                            : options.overwrite() ? RestoreAction.REPLACE : RestoreAction.CONFLICT)
                .orElse(RestoreAction.UPLOAD);
      }
      counts.get(action).incrementAndGet();
      plan.add(new Item(record, action));
    }
    return plan;
  }

  private void upload(List<Item> plan, FolderMode mode) throws InterruptedException {
    BackupFolder folder = new BackupFolder(options.backupDir(), false, true);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, options.concurrency()),
            runnable -> {
              Thread thread = new Thread(runnable, "restore-upload");
              thread.setDaemon(true);
              return thread;
            });
    uploads = pool;
    for (Item item : plan) {
      if (item.action().uploads()) {
        pool.execute(() -> uploadOne(item, folder, mode));
      } else if (item.action() == RestoreAction.CONFLICT) {
        conflicts.add(
            item.record().locator()
                + ": a different asset is at this public_id in the account; left as"
                + " it is (--overwrite replaces it)");
      }
    }
    pool.shutdown();
    int planned = counts.get(RestoreAction.UPLOAD).get() + counts.get(RestoreAction.REPLACE).get();
    long started = System.nanoTime();
    long nextProgress = started + PROGRESS_INTERVAL_NANOS;
    while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() >= nextProgress) {
        nextProgress += PROGRESS_INTERVAL_NANOS;
        out.printf(
            Locale.ROOT,
            "restore: %,d of %,d uploaded (%,.1f MB), %,d failed, %.0f s%n",
            uploaded.get(),
            planned,
            uploadedBytes.get() / 1e6,
            failures.size(),
            (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private void uploadOne(Item item, BackupFolder folder, FolderMode mode) {
    if (stopping) {
      return;
    }
    AssetRecord record = item.record();
    try {
      Path file = folder.resolve(record.path());
      if (!Files.isRegularFile(file)
          || Files.size(file) != record.writtenBytes()
          || !record.md5().equalsIgnoreCase(folder.md5(record.path()))) {
        failures.add(
            record.locator()
                + ": the backup's file "
                + record.path()
                + " is missing or not as the catalog has it (run verify, then a backup, to repair it)");
        return;
      }
      Map<String, Object> sdkOptions =
          UploadRequest.options(record, mode, item.action() == RestoreAction.REPLACE);
      Map<String, Object> response =
          retry.call(
              "uploading " + record.locator(),
              () -> writes.upload(file.toFile(), sdkOptions, options.chunkSize()));
      Object etag = response.get("etag");
      if (etag != null && !record.md5().equalsIgnoreCase(etag.toString())) {
        failures.add(
            record.locator()
                + ": Cloudinary stored other bytes (etag "
                + etag
                + ", the backup's MD5 "
                + record.md5()
                + ")");
        return;
      }
      uploaded.incrementAndGet();
      uploadedBytes.addAndGet(record.writtenBytes());
    } catch (Exception e) {
      String reason = Messages.oneLine(e);
      if (reason.contains("for parameter kind") || reason.contains("is not valid for field")) {
        reason +=
            " (the asset's structured metadata needs a field, or a value of one, the account does not have:"
                + " restore with the configuration, or create it)";
      }
      failures.add(record.locator() + ": " + reason);
    }
  }

  private void summary(
      ConfigurationRestore configuration,
      boolean withConfiguration,
      AccountInventory inventory,
      double seconds) {
    for (String conflict : conflicts) {
      out.println("conflict   " + conflict);
    }
    for (String failure : failures) {
      out.println("failed     " + failure);
    }
    String verb = options.dryRun() ? "Would restore" : stopping ? "Stopped restoring" : "Restored";
    out.printf(
        Locale.ROOT,
        "%n%s into cloud '%s' in %.1f s%n",
        verb,
        options.target().cloudName(),
        seconds);
    if (options.dryRun()) {
      out.printf(Locale.ROOT, "  to upload     %,d%n", counts.get(RestoreAction.UPLOAD).get());
      out.printf(Locale.ROOT, "  to replace    %,d%n", counts.get(RestoreAction.REPLACE).get());
    } else {
      int planned =
          counts.get(RestoreAction.UPLOAD).get() + counts.get(RestoreAction.REPLACE).get();
      out.printf(
          Locale.ROOT,
          "  uploaded      %,d of %,d (%,d bytes)%s%n",
          uploaded.get(),
          planned,
          uploadedBytes.get(),
          counts.get(RestoreAction.REPLACE).get() > 0
              ? ", "
                  + counts.get(RestoreAction.REPLACE).get()
                  + " over a different asset (--overwrite)"
              : "");
    }
    out.printf(
        Locale.ROOT,
        "  present       %,d (the account has them with the same content)%n",
        counts.get(RestoreAction.PRESENT).get());
    out.printf(
        Locale.ROOT,
        "  conflicts     %,d (a different asset at the same public_id: left as it is)%n",
        counts.get(RestoreAction.CONFLICT).get());
    out.printf(
        Locale.ROOT,
        "  no original   %,d (remote references: nothing to upload)%n",
        counts.get(RestoreAction.NO_ORIGINAL).get());
    out.printf(
        Locale.ROOT,
        "  not backed up %,d (their download had failed)%n",
        counts.get(RestoreAction.NOT_BACKED_UP).get());
    if (options.asOf() != null) {
      out.printf(
          Locale.ROOT,
          "  not kept      %,d (changed or new after %s, no older file kept:"
              + " backup.keep-versions keeps them)%n",
          counts.get(RestoreAction.NOT_KEPT).get(),
          options.asOf());
    }
    if (!options.dryRun()) {
      long failedUploads = failures.size();
      out.printf(Locale.ROOT, "  failed        %,d%n", failedUploads);
    }
    if (withConfiguration) {
      StringBuilder line = new StringBuilder("  config       ");
      for (ConfigurationRestore.Part part : configuration.parts()) {
        line.append(
            String.format(
                Locale.ROOT,
                " %s %d %s, %d present%s%s;",
                part.name,
                part.created,
                options.dryRun() ? "to create" : "created",
                part.present,
                part.withAssets > 0 ? ", " + part.withAssets + " with their assets" : "",
                part.failed.isEmpty() ? "" : ", " + part.failed.size() + " failed"));
        part.failed.forEach(
            f ->
                err.println(
                    "cloudinary-backup: configuration not restored: " + part.name + " " + f));
      }
      out.println(
          line.length() > 15 ? line.substring(0, line.length() - 1) : line + " nothing kept");
    }
    out.printf(
        Locale.ROOT,
        "  Admin calls   %,d (%,d listing the account's %,d assets)%n",
        admin.calls() + writes.adminCalls(),
        inventory.calls(),
        inventory.size());
    if (stopping) {
      out.println("Run the same command again to go on: what arrived is not sent again.");
    }
    out.flush();
  }

  /**
   * A signal: no new upload; the ones under way get {@code timeout} to finish. @return the exit
   * code
   */
  @Override
  public int stop(String signal, int code, java.time.Duration timeout) {
    stopping = true;
    ExecutorService pool = uploads;
    if (pool != null) {
      pool.shutdownNow(); // queued uploads never start; running ones see the interrupt only between
      // requests
      try {
        pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    err.printf(
        "cloudinary-backup: restore interrupted by %s after %d uploads; run the same command again to go on%n",
        signal, uploaded.get());
    return code;
  }
}
