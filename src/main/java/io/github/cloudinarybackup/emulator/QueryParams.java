package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Typed access to request parameters, answering bad values with Cloudinary-style 400 errors. */
final class QueryParams {

  private final Map<String, List<String>> values;

  QueryParams(Map<String, List<String>> values) {
    this.values = values;
  }

  /** The first value, or null when absent or empty. Accepts the SDK's {@code name[]} form too. */
  String get(String name) {
    List<String> list = values.getOrDefault(name, values.get(name + "[]"));
    if (list == null || list.isEmpty() || list.get(0).isEmpty()) {
      return null;
    }
    return list.get(0);
  }

  boolean flag(String name) {
    String value = get(name);
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  int intIn(String name, int defaultValue, int min, int max) {
    String value = get(name);
    if (value == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid integer value for " + name + ": " + value);
    }
    if (parsed < min || parsed > max) {
      throw ApiError.badRequest(
          name + " should be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** Comma-separated (or repeated) values as a set; null when absent. */
  Set<String> csv(String name) {
    List<String> list = values.getOrDefault(name, values.get(name + "[]"));
    if (list == null) {
      return null;
    }
    return list.stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** {@code desc}/{@code -1} (the default) or {@code asc}/{@code 1}. */
  boolean ascending(String name) {
    String value = get(name);
    if (value == null || value.equals("desc") || value.equals("-1")) {
      return false;
    }
    if (value.equals("asc") || value.equals("1")) {
      return true;
    }
    throw ApiError.badRequest("Invalid " + name + " " + value + ", expected asc or desc");
  }

  /**
   * An instant given as ISO-8601 instant, {@code yyyy-mm-dd hh:mm:ss} or {@code yyyy-mm-dd} (UTC).
   */
  Instant instant(String name) {
    String value = get(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException ignored) {
      // try the other documented forms
    }
    try {
      return LocalDateTime.parse(value, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try a plain date
    }
    try {
      return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("Invalid " + name + " " + value);
    }
  }
}
