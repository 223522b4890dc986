package io.github.cloudinarybackup.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One setting of the tool: its property key, its default (as application.properties has it), what
 * it means, and which values it takes. {@link BackupSettings#ALL} lists them; the command line's
 * options and help, the check for unknown keys, application.properties and the README's table
 * follow that list.
 *
 * @param key the property key, e.g. {@code backup.dry-run}
 * @param defaultValue the value when none is given ({@code ""}: none)
 * @param values what the setting takes, as help shows it, e.g. {@code 1-500} or {@code true|false}
 * @param description what it does, one sentence
 * @param check whether a value is allowed; {@code null} for free text
 */
public record Setting(
    String key, String defaultValue, String values, String description, Check check) {

  /** Checks a value, returning why it is not allowed, or empty. */
  @FunctionalInterface
  public interface Check {
    Optional<String> problem(String value);
  }

  /**
   * The command-line option: the key without {@code backup.}, dots made dashes ({@code
   * --rate-limit-reserve}).
   */
  public String option() {
    return "--" + key.substring(key.indexOf('.') + 1).replace('.', '-');
  }

  /**
   * The environment variable Camel derives from the key ({@code backup.dry-run} ← {@code
   * BACKUP_DRY_RUN}).
   */
  public String environmentVariable() {
    return environmentVariable(key);
  }

  public static String environmentVariable(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  public boolean isFlag() {
    return "true|false".equals(values);
  }

  /** Why {@code value} is not allowed (naming this setting), or empty; blank means the default. */
  public Optional<String> problem(String value) {
    if (check == null || value == null || value.isBlank()) {
      return Optional.empty();
    }
    return check
        .problem(value.trim())
        .map(reason -> key + " " + reason + ", got '" + value.trim() + "'");
  }

  static Check wholeNumber(long min, long max) {
    return value -> {
      try {
        long n = Long.parseLong(value);
        if (n >= min && n <= max) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        // below
      }
      return Optional.of("must be a whole number from " + min + " to " + max);
    };
  }

  static Check oneOf(List<String> allowed) {
    return value ->
        allowed.contains(value.toLowerCase(Locale.ROOT))
            ? Optional.empty()
            : Optional.of(
                "must be "
                    + (allowed.size() == 2
                        ? allowed.get(0) + " or " + allowed.get(1)
                        : "one of " + String.join(", ", allowed)));
  }
}
