package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.ConfigurationException;
import io.github.cloudinarybackup.restore.RestoreOptions;
import io.github.cloudinarybackup.restore.RestoreRun;
import io.github.cloudinarybackup.run.GracefulStop;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code restore}: uploads a backup into a Cloudinary account, the same one or another. */
@Command(
    name = "restore",
    header =
        "Upload a backup into a Cloudinary account (the same one, or another): assets and configuration.",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "%nPuts back every asset of the backup (or those the filters select) with its public_id, resource and"
          + " delivery type, folder (asset_folder and display name in a dynamic-mode account), tags, context and"
          + " structured metadata, through signed uploads (in parts above --chunk-size); and the account's"
          + " configuration kept with the backup: metadata fields, named transformations and folders before the"
          + " assets, upload presets and mappings after them.%n%n"
          + "The target account is listed first (one Admin call per 500 assets): an asset already there with the"
          + " same content is not sent again, so a restore stopped or killed at any moment and run again sends"
          + " each asset once, and a second restore sends nothing. A different asset at the same public_id is"
          + " left as it is and reported, unless --overwrite. Each file is checked against the catalog's size and"
          + " MD5 before it is sent.%n"
    },
    footer = {
      "",
      "The target account is CLOUDINARY_URL unless --to names another.",
      "",
      "Exit codes: 0 everything selected is in the account, 1 some assets or configuration could not be restored"
          + " (listed), 2 bad option, credentials or backup folder (nothing sent), 3 stopped (rerun to go on),"
          + " 130/143 stopped by SIGINT/SIGTERM."
    })
final class RestoreSubcommand implements Callable<Integer> {

  private static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw");

  @Spec CommandSpec spec;

  @Mixin BackupLocation location;

  private final GracefulStop stop;
  private final PrintStream out;
  private final PrintStream err;

  @Option(
      names = "--to",
      paramLabel = "<cloudinary-url>",
      description =
          "the account to restore into, as cloudinary://<key>:<secret>@<cloud> (default: CLOUDINARY_URL;"
              + " the environment keeps the secret out of the process list)")
  String to;

  @Option(
      names = "--dry-run",
      description = "list what would be uploaded and created; send nothing (the account is listed)")
  boolean dryRun;

  @Option(
      names = "--overwrite",
      description = "replace a different asset found at the same public_id")
  boolean overwrite;

  @Option(
      names = "--prefix",
      paramLabel = "<public_id prefix>",
      description = "only assets whose public_id starts with this")
  String prefix;

  @Option(
      names = "--folder",
      paramLabel = "<folder>",
      description = "only assets in this folder or below it")
  String folder;

  @Option(
      names = "--tag",
      paramLabel = "<tag>",
      description = "only assets with this tag (repeat for any of several)")
  List<String> tags = List.of();

  @Option(
      names = "--resource-type",
      paramLabel = "<image|video|raw>",
      split = ",",
      description = "only these resource types (repeat, or separate with commas; default: all)")
  List<String> resourceTypes = List.of();

  @Option(
      names = "--deleted-since",
      paramLabel = "<date>",
      description =
          "instead of the assets the account held at the last backup, the ones deleted upstream since"
              + " this date (YYYY-MM-DD, UTC, or an ISO-8601 instant): an undelete from the catalog's records")
  String deletedSince;

  @Option(
      names = "--as-of",
      paramLabel = "<date>",
      description =
          "each asset's file as it was at this date (YYYY-MM-DD, UTC, or an ISO-8601 instant): an older"
              + " file kept by backup.keep-versions where the asset changed since; with the latest tags and metadata")
  String asOf;

  @Option(
      names = "--configuration",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "<true|false>",
      description = "restore the account configuration kept with the backup (default: true)")
  boolean configuration = true;

  @Option(
      names = "--concurrency",
      paramLabel = "<1-64>",
      description =
          "uploads at once (default: 16; the Upload API has no rate limit, and 16 beat 8 by 1.6x in bench/restore.sh)")
  int concurrency = 16;

  @Option(
      names = "--chunk-size",
      paramLabel = "<bytes>",
      description =
          "files larger than this are uploaded in parts of this size, at least 5000000 (default: 20000000)")
  int chunkSize = 20_000_000;

  @Option(
      names = "--attempts",
      paramLabel = "<1-20>",
      description = "tries per call when Cloudinary is unavailable or says to wait (default: 5)")
  int attempts = 5;

  RestoreSubcommand(GracefulStop stop, PrintStream out, PrintStream err) {
    this.stop = stop;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    RestoreOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException | ConfigurationException e) {
      err.println("cloudinary-backup: " + e.getMessage());
      return ExitCode.CONFIGURATION;
    }
    RestoreRun run = new RestoreRun(options, out, err);
    stop.attach(run);
    try {
      return run.run();
    } catch (ConfigurationException e) {
      err.println("cloudinary-backup: " + Messages.oneLine(e));
      return ExitCode.CONFIGURATION;
    } catch (CatalogUnusableException e) {
      err.println(
          "cloudinary-backup: cannot restore from the catalog "
              + options.catalog()
              + ": "
              + e.getMessage());
      return ExitCode.CONFIGURATION;
    } catch (Exception e) {
      err.println(
          "cloudinary-backup: restore stopped: "
              + Messages.oneLine(e)
              + " (run it again to go on)");
      return ExitCode.ABORTED;
    }
  }

  private RestoreOptions options() {
    BackupLocation.Found backup = location.find();
    String url =
        Optional.ofNullable(to)
            .or(BackupLocation::cloudinaryUrl)
            .filter(u -> !u.isBlank())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "which account? set CLOUDINARY_URL or give --to cloudinary://…"));
    CloudinaryCredentials target = CloudinaryCredentials.fromUrl(url);
    Set<String> types = new LinkedHashSet<>();
    for (String type : resourceTypes) {
      if (!RESOURCE_TYPES.contains(type.trim())) {
        throw new IllegalArgumentException(
            "--resource-type must be image, video or raw, got '" + type + "'");
      }
      types.add(type.trim());
    }
    require(
        concurrency >= 1 && concurrency <= 64, "--concurrency must be 1 to 64, got " + concurrency);
    require(
        chunkSize >= 5_000_000,
        "--chunk-size must be at least 5000000 (Cloudinary's smallest part), got " + chunkSize);
    require(attempts >= 1 && attempts <= 20, "--attempts must be 1 to 20, got " + attempts);
    return new RestoreOptions(
        backup.root(),
        backup.catalog(),
        target,
        dryRun,
        overwrite,
        blankToNull(prefix),
        blankToNull(folder),
        Set.copyOf(tags),
        types.isEmpty() ? RESOURCE_TYPES : Set.copyOf(types),
        instant("--deleted-since", deletedSince),
        instant("--as-of", asOf),
        configuration,
        concurrency,
        chunkSize,
        attempts);
  }

  private static Instant instant(String option, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option
              + " must be a date (2026-11-30) or an instant"
              + " (2026-11-30T08:00:00Z), got '"
              + text
              + "'");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
