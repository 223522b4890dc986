package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the backup a command reads is (verify, restore), found as a backup run finds it: the {@code
 * --dir} and {@code --catalog} options of those commands, as a picocli mixin.
 */
final class BackupLocation {

  /** A backup folder with its catalog. */
  record Found(Path root, Path catalog) {}

  @Option(
      names = "--dir",
      paramLabel = "<folder>",
      description =
          "the backup folder (default: BACKUP_DIR, -Dbackup.dir, or downloads/<cloud_name> from CLOUDINARY_URL)")
  String dir;

  @Option(
      names = "--catalog",
      paramLabel = "<file>",
      description = "the catalog (default: <dir>/.cloudinary-backup/catalog.db)")
  String catalogFile;

  /**
   * The backup folder (the option, BACKUP_DIR, -Dbackup.dir, or downloads/<cloud_name> from
   * CLOUDINARY_URL) and its catalog (the option, backup.catalog's variable or property, else the
   * folder's own).
   *
   * @throws IllegalArgumentException with the line to show when there is no folder or no catalog
   */
  Found find() {
    Path root =
        setting("backup.dir", dir)
            .map(Path::of)
            .or(
                () ->
                    cloudinaryUrl()
                        .map(
                            url ->
                                Path.of(
                                    "downloads", CloudinaryCredentials.fromUrl(url).cloudName())))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "which backup? give --dir (or BACKUP_DIR, or CLOUDINARY_URL for downloads/<cloud_name>)"))
            .toAbsolutePath()
            .normalize();
    Path catalog =
        setting("backup.catalog", catalogFile)
            .map(Path::of)
            .orElse(root.resolve(BackupConfiguration.STATE_FOLDER).resolve("catalog.db"));
    if (!Files.isRegularFile(catalog)) {
      throw new IllegalArgumentException(
          "no catalog at " + catalog + ": is " + root + " a backup made by this tool?");
    }
    return new Found(root, catalog);
  }

  /** CLOUDINARY_URL, else -Dcloudinary.url. */
  static Optional<String> cloudinaryUrl() {
    return Optional.ofNullable(System.getenv("CLOUDINARY_URL"))
        .or(() -> Optional.ofNullable(System.getProperty("cloudinary.url")))
        .filter(u -> !u.isBlank());
  }

  /** The option, else the environment variable, else the system property. */
  private static Optional<String> setting(String key, String option) {
    return Optional.ofNullable(option)
        .or(() -> Optional.ofNullable(System.getenv(Setting.environmentVariable(key))))
        .or(() -> Optional.ofNullable(System.getProperty(key)))
        .filter(v -> !v.isBlank());
  }
}
