package io.github.cloudinarybackup.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console lines through SLF4J and the JDK's logging: format, levels, secrets masked. */
class ConsoleLoggingTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private void install() {
    ConsoleLogging.install(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private String lines() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void defaults() {
    System.clearProperty("cloudinary-backup.log-level");
    System.clearProperty("cloudinary-backup.library-log-level");
    ConsoleLogging.install(System.out);
  }

  @Test
  void oneLineWithTimeLevelAndTheLoggersSimpleName() {
    install();
    LoggerFactory.getLogger("io.github.cloudinarybackup.run.BackupRun").info("Backing up {}", 3);
    assertTrue(
        lines().matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  BackupRun {13} Backing up 3\\R"),
        lines());
  }

  @Test
  void secretsAreMaskedInMessagesAndStackTraces() {
    install();
    Logger log = LoggerFactory.getLogger("io.github.cloudinarybackup.cloudinary.CloudinaryAdmin");
    log.warn(
        "GET /v1_1/demo/resources?signature=0a1b2c3d4e&api_key=123456&timestamp=1 with"
            + " cloudinary://123456:SuperSecret1@demo, Authorization: Basic dXNlcjpwYXNz end",
        new IOException("refused: api_secret=SuperSecret1"));
    String text = lines();
    assertFalse(text.contains("SuperSecret1"), text);
    assertFalse(text.contains("0a1b2c3d4e"), text);
    assertFalse(text.contains("dXNlcjpwYXNz"), text);
    assertFalse(text.contains("123456&"), text);
    assertTrue(text.contains("signature=***&api_key=***&timestamp=1"), text);
    assertTrue(text.contains("cloudinary://123456:***@demo"), text);
    assertTrue(text.contains("Authorization: Basic *** end"), text);
    assertTrue(text.contains("java.io.IOException: refused: api_secret=***"), text);
    assertTrue(text.contains("\tat "), "the stack trace follows: " + text);
  }

  @Test
  void librariesSayOnlyWarningsUnlessAskedAndTheToolItsInfo() {
    install();
    LoggerFactory.getLogger("org.apache.camel.main.MainSupport").info("Apache Camel is starting");
    LoggerFactory.getLogger("org.apache.hc.client5.http.wire").debug("http-outgoing-0 >> GET");
    LoggerFactory.getLogger("io.github.cloudinarybackup.run.BackupRun").debug("a detail");
    LoggerFactory.getLogger("org.mapdb.StoreWAL").warn("a warning");
    assertEquals(1, lines().lines().count(), lines());
    assertTrue(lines().contains(" WARN  StoreWAL "), lines());
  }

  @Test
  void theLevelsComeFromSystemProperties() {
    System.setProperty("cloudinary-backup.log-level", "debug");
    System.setProperty("cloudinary-backup.library-log-level", "TRACE");
    install();
    LoggerFactory.getLogger("io.github.cloudinarybackup.run.BackupRun").debug("a detail");
    LoggerFactory.getLogger("io.github.cloudinarybackup.run.BackupRun").trace("finer still");
    LoggerFactory.getLogger("org.apache.hc.client5.http.wire").trace("http-outgoing-0 >> GET");
    String text = lines();
    assertTrue(text.contains(" DEBUG BackupRun              a detail"), text);
    assertFalse(text.contains("finer still"), text);
    assertTrue(text.contains(" TRACE wire                   http-outgoing-0 >> GET"), text);
  }

  @Test
  void aLongLoggerNameKeepsItsEndAsLog4jDid() {
    install();
    LoggerFactory.getLogger("x.AVeryLongClassNameThatGoesOnAndOn").error("boom");
    assertTrue(lines().contains(" ERROR assNameThatGoesOnAndOn boom"), lines());
  }
}
