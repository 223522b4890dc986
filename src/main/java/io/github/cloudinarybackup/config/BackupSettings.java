package io.github.cloudinarybackup.config;

import static io.github.cloudinarybackup.config.Setting.oneOf;
import static io.github.cloudinarybackup.config.Setting.wholeNumber;

import io.github.cloudinarybackup.layout.LayoutTemplate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.quartz.CronExpression;

/**
 * The definition of every {@code backup.*} setting, in the order help lists them.
 * application.properties and the README's table list the same keys with the same defaults ({@code
 * BackupSettingsTest} checks both).
 */
public final class BackupSettings {

  private static final String FLAG = "true|false";
  private static final Setting.Check IS_FLAG = oneOf(List.of("true", "false"));
  private static final long HOUR_MS = 3_600_000;
  private static final long DAY_MS = 86_400_000;

  public static final List<Setting> ALL =
      List.of(
          new Setting(
              "backup.dir",
              "",
              "<folder>",
              "where the backup goes (empty: downloads/<cloud_name>)",
              null),
          new Setting(
              "backup.catalog",
              "",
              "<file>",
              "the MapDB catalog (empty: <dir>/.cloudinary-backup/catalog.db)",
              null),
          new Setting(
              "backup.resource-types",
              "image,video,raw",
              "<types>",
              "resource types in scope, some of image,video,raw",
              BackupSettings::resourceTypesProblem),
          new Setting(
              "backup.delivery-types",
              "",
              "<types>",
              "only these delivery types, e.g. upload,private (empty: all)",
              null),
          new Setting(
              "backup.prefix",
              "",
              "<prefix>",
              "only public_ids starting with this (fixed folder mode; in dynamic mode"
                  + " use --search-expression 'asset_folder:shop/*')",
              null),
          new Setting(
              "backup.search-expression",
              "",
              "<expression>",
              "list through the Search API instead, e.g. 'tags:sale AND asset_folder:shop'",
              null),
          new Setting(
              "backup.folder-mode",
              "auto",
              "auto|fixed|dynamic",
              "auto asks Cloudinary; fixed or dynamic force a mode",
              oneOf(BackupConfiguration.FOLDER_MODES)),
          new Setting(
              "backup.layout",
              "",
              "<template>",
              "where each file goes, e.g. {resource_type}/{type}/{public_id}.{ext}"
                  + " (empty: the Media Library tree)",
              BackupSettings::layoutProblem),
          new Setting(
              "backup.page-size", "500", "1-500", "assets per Admin API call", wholeNumber(1, 500)),
          new Setting(
              "backup.concurrency",
              "auto",
              "auto|1-256",
              "downloads in flight at once: auto adapts between 4 and 64, a number fixes it",
              BackupSettings::concurrencyProblem),
          new Setting(
              "backup.dry-run",
              "false",
              FLAG,
              "list and compare with the catalog, report, download and write nothing",
              IS_FLAG),
          new Setting(
              "backup.keep-versions",
              "false",
              FLAG,
              "keep a changed asset's previous file as <name>.v<version>.<ext>",
              IS_FLAG),
          new Setting(
              "backup.prune",
              "false",
              FLAG,
              "move the files of assets deleted upstream to .cloudinary-backup/trash/",
              IS_FLAG),
          new Setting(
              "backup.sidecars",
              "false",
              FLAG,
              "write <file>.cloudinary.json beside each original (tags, context, metadata)",
              IS_FLAG),
          new Setting(
              "backup.manifest-csv",
              "false",
              FLAG,
              "also write manifest.csv beside manifest.jsonl",
              IS_FLAG),
          new Setting(
              "backup.account-configuration",
              "true",
              FLAG,
              "keep the account's metadata fields, presets, named"
                  + " transformations, mappings and folders in .cloudinary-backup/config/ (a few Admin calls a run)",
              IS_FLAG),
          new Setting(
              "backup.schedule",
              "",
              "<cron>",
              "a Quartz cron, e.g. '0 0 2 * * ?': run as a daemon that backs up on schedule",
              BackupSettings::cronProblem),
          new Setting(
              "backup.progress-interval-ms",
              "10000",
              "1-86400000",
              "how often a progress line is logged during a run",
              wholeNumber(1, DAY_MS)),
          new Setting(
              "backup.retry.attempts",
              "5",
              "0-100",
              "retries of a failed download or Admin call, after the first try",
              wholeNumber(0, 100)),
          new Setting(
              "backup.retry.initial-delay-ms",
              "500",
              "0-3600000",
              "the first pause between retries (then doubling, with jitter)",
              wholeNumber(0, HOUR_MS)),
          new Setting(
              "backup.retry.max-delay-ms",
              "30000",
              "0-3600000",
              "the longest pause between retries",
              wholeNumber(0, HOUR_MS)),
          new Setting(
              "backup.rate-limit.reserve",
              "10%",
              "<calls>|<n>%|-1",
              "Admin calls left unused per rate-limit window for others (at most a tenth of the limit); -1 turns pacing off",
              BackupSettings::reserveProblem),
          new Setting(
              "backup.rate-limit.margin-ms",
              "1000",
              "0-2000",
              "added to the instant a 420 says to try again on",
              wholeNumber(0, 2000)),
          new Setting(
              "backup.rate-limit.backoff-ms",
              "60000",
              "1-86400000",
              "the pause after a 420 that names no instant (doubling)",
              wholeNumber(1, DAY_MS)),
          new Setting(
              "backup.rate-limit.max-backoff-ms",
              "3600000",
              "1-86400000",
              "the longest such pause",
              wholeNumber(1, DAY_MS)),
          new Setting(
              "backup.http.connect-timeout",
              "10000",
              "1-3600000",
              "download connect timeout, ms",
              wholeNumber(1, HOUR_MS)),
          new Setting(
              "backup.http.response-timeout",
              "60000",
              "1-3600000",
              "the longest silence of a download (its answer, its next bytes), ms",
              wholeNumber(1, HOUR_MS)),
          new Setting(
              "backup.http.min-bytes-per-second",
              "8192",
              "1-1099511627776",
              "the slowest transfer allowed: an attempt slower than this (after the response timeout) is cut short and retried",
              wholeNumber(1, 1L << 40)),
          new Setting(
              "backup.shutdown-timeout",
              "10",
              "0-600",
              "seconds the downloads under way get to finish after Ctrl-C or SIGTERM",
              wholeNumber(0, 600)),
          new Setting(
              "backup.follow-symlinks",
              "false",
              FLAG,
              "write through a folder of the backup that is a symbolic link",
              IS_FLAG),
          new Setting(
              "backup.file-permissions",
              "owner-only",
              "owner-only|umask",
              "owner-only: folders rwx------ and files rw-------; umask: as the process's umask makes them",
              oneOf(List.of("owner-only", "umask"))),
          new Setting(
              "backup.catalog-recovery",
              "rebuild",
              "rebuild|stop",
              "a damaged catalog is kept aside and rebuilt from the manifest and the files; stop changes nothing",
              oneOf(List.of("rebuild", "stop", "move-aside"))),
          new Setting(
              "backup.health.stuck-after-ms",
              "900000",
              "1-86400000",
              "with the management server on: a run with no progress for this long is reported DOWN",
              wholeNumber(1, DAY_MS)));

  /** Keys the tool sets for its routes itself; a user never needs them. */
  static final Set<String> INTERNAL =
      Set.of("backup.one-shot", "backup.scheduled", "backup.schedule-cron");

  private BackupSettings() {}

  public static Optional<Setting> find(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /**
   * The default of a setting of this tool, as defined here (the one place defaults are written).
   */
  public static String defaultOf(String key) {
    return find(key)
        .map(Setting::defaultValue)
        .orElseThrow(() -> new IllegalArgumentException("no setting " + key));
  }

  /** Whether {@code key} names a setting of this tool, for which an unknown name is a mistake. */
  public static boolean isOurs(String key) {
    return key.startsWith("backup.");
  }

  /** Why each value given is not allowed, one line per setting. */
  public static List<String> problems(Function<String, Optional<String>> property) {
    List<String> problems = new ArrayList<>();
    for (Setting setting : ALL) {
      property.apply(setting.key()).flatMap(setting::problem).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * One line per key of ours that names no setting, with the nearest known key when there is one.
   *
   * @param where where the keys came from, e.g. "system property", for the message
   */
  public static List<String> unknown(Collection<String> keys, String where) {
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      if (isOurs(key) && find(key).isEmpty() && !INTERNAL.contains(key)) {
        problems.add(
            "unknown setting '"
                + key
                + "' ("
                + where
                + ")"
                + nearest(key).map(k -> " — did you mean '" + k + "'?").orElse(""));
      }
    }
    return problems;
  }

  /**
   * Environment variables that look like a mistyped setting ({@code BACKUP_DRYRUN}). Other {@code
   * BACKUP_*} variables are left alone: an environment holds other programs' variables too.
   */
  public static List<String> mistypedEnvironment(Collection<String> names) {
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      if (!name.startsWith("BACKUP_")
          || ALL.stream().anyMatch(s -> s.environmentVariable().equals(name))) {
        continue;
      }
      ALL.stream()
          .map(Setting::environmentVariable)
          .filter(known -> distance(name, known) <= 2)
          .findFirst()
          .ifPresent(
              known ->
                  problems.add(
                      "unknown setting '"
                          + name
                          + "' (environment) — did you mean '"
                          + known
                          + "'?"));
    }
    return problems;
  }

  /** The known key nearest to {@code key}: a small edit away, or the one it is a part of. */
  static Optional<String> nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting setting : ALL) {
      int d = distance(key, setting.key());
      if (d < bestDistance) {
        best = setting.key();
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, key.length() / 4);
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Damerau-Levenshtein distance (adjacent transpositions count one edit). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static Optional<String> resourceTypesProblem(String value) {
    List<String> types = new ArrayList<>();
    for (String t : value.split(",")) {
      if (!t.isBlank()) {
        types.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    return types.isEmpty() || !BackupConfiguration.RESOURCE_TYPES.containsAll(types)
        ? Optional.of("must list some of image, video, raw (comma-separated)")
        : Optional.empty();
  }

  private static Optional<String> layoutProblem(String value) {
    try {
      LayoutTemplate.parse(value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a layout template: " + e.getMessage());
    }
  }

  private static Optional<String> concurrencyProblem(String value) {
    return "auto".equalsIgnoreCase(value)
        ? Optional.empty()
        : wholeNumber(1, 256)
            .problem(value)
            .map(p -> "must be auto or a whole number from 1 to 256");
  }

  private static Optional<String> reserveProblem(String value) {
    try {
      RateLimitReserve.parse(value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("must be a number of calls, a percentage such as 10%, or -1");
    }
  }

  private static Optional<String> cronProblem(String value) {
    try {
      CronExpression.validateExpression(value);
      return Optional.empty();
    } catch (java.text.ParseException e) {
      return Optional.of(
          "is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week,"
              + " e.g. '0 0 2 * * ?'): "
              + e.getMessage());
    }
  }
}
