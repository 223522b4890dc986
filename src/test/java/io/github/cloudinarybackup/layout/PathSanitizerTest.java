package io.github.cloudinarybackup.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathSanitizerTest {

  private final PathSanitizer sanitizer = new PathSanitizer(Set.of(".cloudinary-backup"), ".~cb");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "photo.jpg|photo.jpg",
        "..|%2E%2E",
        ".|%2E",
        "%2e%2e|%252e%252e",
        "a:b|a%3Ab",
        "C:|C%3A",
        "back\\slash|back%5Cslash",
        "what?|what%3F",
        "a*b<c>d|a%2Ab%3Cc%3Ed",
        "trailing.|trailing%2E",
        "'trailing '|trailing%20",
        "CON|%43ON",
        "con.txt|%63on.txt",
        "LPT9.log|%4CPT9.log",
        "CONSOLE|CONSOLE",
        ".cloudinary-backup|%2Ecloudinary-backup",
        ".Cloudinary-Backup|%2ECloudinary-Backup",
        ".~cbphoto.jpg|%2E~cbphoto.jpg",
        ".hidden|.hidden",
        "café ünïcödé 東京 🎉|café ünïcödé 東京 🎉",
      })
  void escapesWhatFilesystemsRejectOrMisread(String raw, String expected) {
    assertEquals(expected, sanitizer.segment(raw));
  }

  @Test
  void controlCharactersAndSlashesAreEscaped() {
    assertEquals("a%00b%0Ac%2Fd", sanitizer.segment("a\u0000b\nc/d"));
    assertEquals("e%22f%7Cg", sanitizer.segment("e\"f|g"));
  }

  @Test
  void unicodeIsNormalisedToNfc() {
    assertEquals(sanitizer.segment("caf\u00e9"), sanitizer.segment("cafe\u0301"));
  }

  @Test
  void aNameEndingLikeTheToolsSidecarsIsEscaped() {
    PathSanitizer withSidecars = new PathSanitizer(Set.of(), ".~cb", ".cloudinary.json");
    assertEquals(
        "report.pdf%2Ecloudinary.json", withSidecars.segment("report.pdf.cloudinary.json"));
    assertEquals("x%2ECloudinary.JSON", withSidecars.segment("x.Cloudinary.JSON"));
    assertEquals("cloudinary.json", withSidecars.segment("cloudinary.json"));
  }

  @Test
  void emptyBecomesUnderscore() {
    assertEquals("_", sanitizer.segment(""));
    assertEquals("_", sanitizer.segment(null));
  }

  @Test
  void longNamesAreShortenedKeepingExtensionAndStayingDistinct() {
    String a = "é".repeat(300) + "a.jpg";
    String b = "é".repeat(300) + "b.jpg";
    String sa = sanitizer.segment(a);
    String sb = sanitizer.segment(b);
    assertTrue(sa.getBytes(StandardCharsets.UTF_8).length <= PathSanitizer.MAX_SEGMENT_BYTES, sa);
    assertTrue(sa.endsWith(".jpg"));
    assertNotEquals(sa, sb);
    assertFalse(sa.contains("\uFFFD"), "cut inside a character");
  }
}
