package io.github.cloudinarybackup.layout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Turns one untrusted name (a public_id segment, a display name, a folder name) into one path
 * segment that every common filesystem accepts and that can never leave its parent folder.
 *
 * <p>The mapping is deterministic and only ever escapes, so two different names stay different
 * except where a filesystem would not tell them apart (case); that is left to {@link
 * PathAllocator}. Characters are escaped as {@code %XX} (UTF-8), which is why a literal {@code %}
 * becomes {@code %25}: a percent-encoded trick such as {@code %2e%2e} stays a harmless literal
 * name.
 */
public final class PathSanitizer {

  /** Leaves room for the temporary-file prefix within the 255-byte limit of ext4, NTFS and APFS. */
  static final int MAX_SEGMENT_BYTES = 240;

  private static final String ILLEGAL = "<>:\"\\|?*%/";
  private static final Set<String> WINDOWS_RESERVED =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  private final Set<String> reservedNames;
  private final String tempPrefix;
  private final String reservedSuffix;

  /**
   * @param reservedNames names the tool itself uses (compared case-insensitively), e.g. its state
   *     folder
   * @param tempPrefix prefix of temporary download files; a real name starting with it is escaped
   *     so the start-up clean-up can never mistake an asset for a stale temporary
   */
  public PathSanitizer(Set<String> reservedNames, String tempPrefix) {
    this(reservedNames, tempPrefix, "");
  }

  /**
   * @param reservedSuffix ending of files the tool writes beside assets (sidecars); a real name so
   *     ending is escaped
   */
  public PathSanitizer(Set<String> reservedNames, String tempPrefix, String reservedSuffix) {
    this.reservedNames = reservedNames;
    this.tempPrefix = tempPrefix;
    this.reservedSuffix = reservedSuffix;
  }

  /** A safe, non-empty segment for {@code raw}; {@code null} or blank input gives {@code "_"}. */
  public String segment(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "_";
    }
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(name.length() + 8);
    name.codePoints().forEach(cp -> appendEscaped(out, cp));
    String safe = out.toString();

    if (safe.equals(".") || safe.equals("..")) {
      safe = safe.replace(".", "%2E");
    }
    // Windows silently drops trailing dots and spaces, which would merge "a." with "a".
    char last = safe.charAt(safe.length() - 1);
    if (last == '.' || last == ' ') {
      safe = safe.substring(0, safe.length() - 1) + escape(last);
    }
    String stem = safe.contains(".") ? safe.substring(0, safe.indexOf('.')) : safe;
    boolean reserved =
        WINDOWS_RESERVED.contains(stem.toUpperCase(Locale.ROOT))
            || reservedNames.contains(safe.toLowerCase(Locale.ROOT))
            || (!tempPrefix.isEmpty() && safe.startsWith(tempPrefix));
    if (reserved) {
      safe = escape(safe.charAt(0)) + safe.substring(1);
    }
    if (!reservedSuffix.isEmpty() && safe.toLowerCase(Locale.ROOT).endsWith(reservedSuffix)) {
      int dot = safe.length() - reservedSuffix.length();
      safe = safe.substring(0, dot) + "%2E" + safe.substring(dot + 1);
    }
    return fitLength(safe);
  }

  private static void appendEscaped(StringBuilder out, int cp) {
    boolean control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
    if (control
        || (cp < 0x80 && ILLEGAL.indexOf(cp) >= 0)
        || Character.getType(cp) == Character.SURROGATE) {
      for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    } else {
      out.appendCodePoint(cp);
    }
  }

  private static String escape(char c) {
    return String.format("%%%02X", (int) c);
  }

  /**
   * Shortens an over-long name at a code-point boundary, keeping its extension and adding a hash of
   * the whole name so two long names that share a beginning stay distinct.
   */
  static String fitLength(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_SEGMENT_BYTES) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
    String marker = "~" + shortHash(name);
    int budget = MAX_SEGMENT_BYTES - marker.length() - ext.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder head = new StringBuilder();
    int used = 0;
    for (int i = 0; i < name.length() - ext.length(); ) {
      int cp = name.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + len > budget) {
        break;
      }
      head.appendCodePoint(cp);
      used += len;
      i += Character.charCount(cp);
    }
    return head + marker + ext;
  }

  static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
