package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.Setting;
import java.nio.file.Path;
import java.util.Optional;

/** Where the backup a command reads is (verify, restore): found as a backup run finds it. */
final class BackupLocation {

  private BackupLocation() {}

  /** The option, BACKUP_DIR, -Dbackup.dir, or downloads/<cloud_name> from CLOUDINARY_URL. */
  static Optional<Path> folder(String option) {
    Optional<String> given = setting("backup.dir", option);
    if (given.isPresent()) {
      return given.map(Path::of);
    }
    return Optional.ofNullable(System.getenv("CLOUDINARY_URL"))
        .or(() -> Optional.ofNullable(System.getProperty("cloudinary.url")))
        .map(url -> Path.of("downloads", CloudinaryCredentials.fromUrl(url).cloudName()));
  }

  /** The option, else backup.catalog's variable or property, else the folder's own catalog. */
  static Path catalog(Path root, String option) {
    return setting("backup.catalog", option)
        .map(Path::of)
        .orElse(root.resolve(BackupConfiguration.STATE_FOLDER).resolve("catalog.db"));
  }

  /** The option, else the environment variable, else the system property. */
  static Optional<String> setting(String key, String option) {
    return Optional.ofNullable(option)
        .or(() -> Optional.ofNullable(System.getenv(Setting.environmentVariable(key))))
        .or(() -> Optional.ofNullable(System.getProperty(key)))
        .filter(v -> !v.isBlank());
  }
}
