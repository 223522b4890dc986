package io.github.cloudinarybackup.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings a user gave in the environment and as system properties, for a run whose command
 * line must beat them: Camel looks both up before its overrides, so they are read here, put among
 * the overrides under the command line's, and Camel then consults them only for keys nobody else
 * sets.
 */
public final class UserSettings {

  /**
   * Keys read from the environment or .env besides the backup.* settings (the credentials, the
   * routes).
   */
  static final List<String> OTHER_KEYS =
      List.of(
          "cloudinary.url",
          "cloudinary.upload-prefix",
          "cloud.name",
          "api.key",
          "api.secret",
          "camel.main.routes-include-pattern");

  private UserSettings() {}

  /**
   * For every key that application.properties, the settings' definition or a system property names,
   * and the command line does not: its environment variable ({@code BACKUP_DIR}) if set, else its
   * system property.
   *
   * @param propertyKeys the keys of application.properties (and other property files)
   */
  public static Map<String, String> environmentThenSystem(
      Set<String> propertyKeys, Map<String, String> commandLine) {
    return environmentThenSystem(
        propertyKeys, commandLine, System.getenv(), System.getProperties());
  }

  static Map<String, String> environmentThenSystem(
      Set<String> propertyKeys,
      Map<String, String> commandLine,
      Map<String, String> environment,
      java.util.Properties system) {
    Set<String> keys = new TreeSet<>(propertyKeys);
    BackupSettings.ALL.forEach(setting -> keys.add(setting.key()));
    keys.addAll(OTHER_KEYS);
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith("backup.")
          || name.startsWith("camel.")
          || name.startsWith("cloudinary.")) {
        keys.add(name);
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : keys) {
      if (commandLine.containsKey(key)) {
        continue;
      }
      String value = environment.get(Setting.environmentVariable(key));
      if (value == null) {
        value = system.getProperty(key);
      }
      if (value != null) {
        settings.put(key, value);
      }
    }
    return settings;
  }
}
