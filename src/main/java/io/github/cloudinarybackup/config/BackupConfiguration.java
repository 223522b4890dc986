package io.github.cloudinarybackup.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of a backup run, read once from Camel's properties (application.properties, then
 * environment variables such as {@code BACKUP_DIR}, then {@code -Dbackup.dir=...}) with a {@code
 * .env} file in the working directory as the last fallback for credentials, as the original script
 * had it.
 *
 * <p>A bad setting does not throw here: Camel must still be able to build the routes, and the run's
 * first step reports {@link #problem()} as one clear line before anything is written.
 */
public record BackupConfiguration(
    CloudinaryCredentials credentials,
    Path backupDir,
    Path catalogFile,
    List<String> resourceTypes,
    String folderMode,
    String layout,
    int pageSize,
    int concurrency,
    boolean adaptiveConcurrency,
    List<String> deliveryTypes,
    String prefix,
    String searchExpression,
    boolean dryRun,
    boolean manifestCsv,
    boolean sidecars,
    boolean keepVersions,
    boolean prune,
    String catalogRecovery,
    RateLimitSettings rateLimits,
    DownloadSettings downloads,
    boolean followSymlinks,
    boolean ownerOnly,
    Duration shutdownTimeout,
    String schedule,
    String problem) {

  /**
   * @param margin added to Cloudinary's reset instant before calling again
   * @param reserve Admin calls left unused in each window, for other users of the account; -1 turns
   *     pacing off (only Cloudinary's 420s then pause the listing)
   * @param initialBackoff the first pause after a 420 that names no instant
   * @param maxBackoff the longest such pause
   */
  public record RateLimitSettings(
      Duration margin, RateLimitReserve reserve, Duration initialBackoff, Duration maxBackoff) {}

  /**
   * @param connectTimeoutMillis how long opening a connection may take
   * @param silenceTimeoutMillis how long a download may wait for its answer or its next bytes
   * @param minBytesPerSecond the slowest transfer a download may take: an attempt still under way
   *     after the silence timeout plus its size at this speed is cut short
   */
  public record DownloadSettings(
      long connectTimeoutMillis, long silenceTimeoutMillis, long minBytesPerSecond) {}

  public static final String STATE_FOLDER = ".cloudinary-backup";

  /** backup.concurrency=auto: where the number of downloads at once starts, and its bounds. */
  public static final int AUTO_CONCURRENCY_START = 32;

  public static final int AUTO_CONCURRENCY_MIN = 4;
  public static final int AUTO_CONCURRENCY_MAX = 64;
  public static final List<String> RESOURCE_TYPES = List.of("image", "video", "raw");
  public static final List<String> FOLDER_MODES = List.of("auto", "fixed", "dynamic");

  /**
   * @param property looks a property up in Camel's properties (environment and system properties
   *     included)
   * @param dotenv the entries of a {@code .env} file, or an empty map
   */
  public static BackupConfiguration load(
      Function<String, Optional<String>> property, Map<String, String> dotenv) {
    return load(property, dotenv, List.of());
  }

  /**
   * @param earlier problems found before (unknown settings), reported first
   */
  public static BackupConfiguration load(
      Function<String, Optional<String>> property,
      Map<String, String> dotenv,
      List<String> earlier) {
    // every value checked against its definition; below, a bad value falls back to the default
    List<String> problems = new ArrayList<>(earlier);
    CloudinaryCredentials credentials = null;
    try {
      credentials = credentials(property, dotenv);
    } catch (ConfigurationException e) {
      problems.add(e.getMessage());
    }
    problems.addAll(BackupSettings.problems(property));
    String cloud = credentials != null ? credentials.cloudName() : "unknown-cloud";
    Path backupDir = Path.of(text(property, "backup.dir").orElse("downloads/" + cloud));
    Path catalog =
        text(property, "backup.catalog")
            .map(Path::of)
            .orElse(backupDir.resolve(STATE_FOLDER).resolve("catalog.db"));

    List<String> types = new ArrayList<>();
    for (String t : value(property, "backup.resource-types").split(",")) {
      String type = t.trim().toLowerCase(Locale.ROOT);
      if (!type.isEmpty() && !types.contains(type)) {
        types.add(type);
      }
    }
    String mode = value(property, "backup.folder-mode").toLowerCase(Locale.ROOT);
    String layout = value(property, "backup.layout");
    int pageSize = (int) number(property, "backup.page-size");
    RateLimitSettings rateLimits =
        new RateLimitSettings(
            Duration.ofMillis(number(property, "backup.rate-limit.margin-ms")),
            reserve(property),
            Duration.ofMillis(number(property, "backup.rate-limit.backoff-ms")),
            Duration.ofMillis(number(property, "backup.rate-limit.max-backoff-ms")));
    // auto: starts at this many and adapts (DownloadConcurrency); a number fixes it
    boolean adaptive = "auto".equalsIgnoreCase(value(property, "backup.concurrency"));
    int concurrency =
        adaptive ? AUTO_CONCURRENCY_START : (int) number(property, "backup.concurrency");
    List<String> deliveryTypes = new ArrayList<>();
    for (String t : value(property, "backup.delivery-types").split(",")) {
      if (!t.isBlank() && !deliveryTypes.contains(t.trim())) {
        deliveryTypes.add(t.trim());
      }
    }
    String prefix = text(property, "backup.prefix").orElse(null);
    String search = text(property, "backup.search-expression").orElse(null);
    if (search != null && (prefix != null || !deliveryTypes.isEmpty())) {
      problems.add(
          "backup.search-expression replaces backup.prefix and backup.delivery-types: put them in the expression");
    }
    boolean dryRun = flag(property, "backup.dry-run");
    boolean manifestCsv = flag(property, "backup.manifest-csv");
    boolean sidecars = flag(property, "backup.sidecars");
    boolean keepVersions = flag(property, "backup.keep-versions");
    boolean prune = flag(property, "backup.prune");
    String recovery = value(property, "backup.catalog-recovery");
    if ("move-aside".equals(recovery)) {
      recovery =
          "rebuild"; // the name it had before a moved-aside catalog was rebuilt from the backup
    }
    DownloadSettings downloads =
        new DownloadSettings(
            number(property, "backup.http.connect-timeout"),
            number(property, "backup.http.response-timeout"),
            number(property, "backup.http.min-bytes-per-second"));
    boolean followSymlinks = flag(property, "backup.follow-symlinks");
    String permissions = value(property, "backup.file-permissions").toLowerCase(Locale.ROOT);
    Duration shutdownTimeout = Duration.ofSeconds(number(property, "backup.shutdown-timeout"));
    return new BackupConfiguration(
        credentials,
        backupDir,
        catalog,
        List.copyOf(types),
        mode,
        layout,
        pageSize,
        concurrency,
        adaptive,
        List.copyOf(deliveryTypes),
        prefix,
        search,
        dryRun,
        manifestCsv,
        sidecars,
        keepVersions,
        prune,
        recovery,
        rateLimits,
        downloads,
        followSymlinks,
        "owner-only".equals(permissions),
        shutdownTimeout,
        value(property, "backup.schedule"),
        problems.isEmpty() ? null : String.join("; ", problems));
  }

  private static RateLimitReserve reserve(Function<String, Optional<String>> property) {
    try {
      return RateLimitReserve.parse(value(property, "backup.rate-limit.reserve"));
    } catch (IllegalArgumentException e) {
      // reported by BackupSettings
      return RateLimitReserve.parse(BackupSettings.defaultOf("backup.rate-limit.reserve"));
    }
  }

  private static CloudinaryCredentials credentials(
      Function<String, Optional<String>> property, Map<String, String> dotenv) {
    Optional<String> url = setting(property, dotenv, "cloudinary.url", "CLOUDINARY_URL");
    // Like the Python SDK's CLOUDINARY_UPLOAD_PREFIX: another API host (a region, the emulator).
    Optional<String> prefix =
        setting(property, dotenv, "cloudinary.upload-prefix", "CLOUDINARY_UPLOAD_PREFIX");
    CloudinaryCredentials credentials =
        url.isPresent()
            ? CloudinaryCredentials.fromUrl(url.get())
            : CloudinaryCredentials.of(
                setting(property, dotenv, "cloud.name", "CLOUD_NAME").orElse(null),
                setting(property, dotenv, "api.key", "API_KEY").orElse(null),
                setting(property, dotenv, "api.secret", "API_SECRET").orElse(null),
                Map.of());
    return prefix.isPresent() && !credentials.options().containsKey("upload_prefix")
        ? credentials.withOption("upload_prefix", prefix.get())
        : credentials;
  }

  /** A property (environment and -D included), else the .env entry of the same meaning. */
  private static Optional<String> setting(
      Function<String, Optional<String>> property,
      Map<String, String> dotenv,
      String key,
      String dotenvKey) {
    return text(property, key)
        .or(
            () ->
                Optional.ofNullable(dotenv.get(dotenvKey))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty()));
  }

  private static boolean flag(Function<String, Optional<String>> property, String key) {
    return "true".equals(value(property, key).toLowerCase(Locale.ROOT));
  }

  /** The setting as given, else its default from {@link BackupSettings}. */
  private static String value(Function<String, Optional<String>> property, String key) {
    return text(property, key).orElseGet(() -> BackupSettings.defaultOf(key));
  }

  /**
   * The setting's number, or its default when it is not an allowed one (BackupSettings reports
   * that).
   */
  private static long number(Function<String, Optional<String>> property, String key) {
    Optional<String> value = text(property, key);
    boolean allowed =
        value.isPresent()
            && BackupSettings.find(key).flatMap(s -> s.problem(value.get())).isEmpty();
    return Long.parseLong(allowed ? value.get() : BackupSettings.defaultOf(key));
  }

  private static Optional<String> text(Function<String, Optional<String>> property, String key) {
    return property.apply(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  /**
   * Whether the listing covers only part of the account: assets it does not return are then out of
   * the filter, not deleted.
   */
  public boolean filtered() {
    return !deliveryTypes.isEmpty() || prefix != null || searchExpression != null;
  }

  /** The most downloads that may ever be in flight at once. */
  public int maxConcurrency() {
    return adaptiveConcurrency ? AUTO_CONCURRENCY_MAX : concurrency;
  }

  /**
   * The listings a run pages through: "search", or a resource type, or resource type/delivery type.
   */
  public List<String> listings() {
    if (searchExpression != null) {
      return List.of(SEARCH_LISTING);
    }
    if (deliveryTypes.isEmpty()) {
      return resourceTypes;
    }
    List<String> listings = new ArrayList<>();
    for (String resourceType : resourceTypes) {
      for (String deliveryType : deliveryTypes) {
        listings.add(resourceType + "/" + deliveryType);
      }
    }
    return listings;
  }

  /** The listing that pages through the Search API. */
  public static final String SEARCH_LISTING = "search";

  /** Where {@code backup.prune} moves the files of assets deleted upstream. */
  public Path trashDir() {
    return stateDir().resolve("trash");
  }

  /** The folder the tool keeps its own state in; never used for an asset. */
  public Path stateDir() {
    return backupDir.resolve(STATE_FOLDER);
  }

  /** Throws the configuration problem, if any, so the run stops before writing. */
  public void requireValid() {
    if (problem != null) {
      throw new ConfigurationException(problem);
    }
  }
}
