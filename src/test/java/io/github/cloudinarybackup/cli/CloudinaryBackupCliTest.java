package io.github.cloudinarybackup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * backup is the command when none is named, so the commands users ran before commands existed still
 * work.
 */
class CloudinaryBackupCliTest {

  private static void assertBecomes(String[] expected, String... args) {
    assertArrayEquals(expected, CloudinaryBackupCli.withDefaultCommand(args));
  }

  @Test
  void backupIsTheDefaultCommand() {
    assertBecomes(new String[] {"backup"});
    assertBecomes(new String[] {"backup", "--concurrency", "16"}, "--concurrency", "16");
    assertBecomes(new String[] {"backup", "-Dbackup.dry-run=true"}, "-Dbackup.dry-run=true");
    assertBecomes(new String[] {"backup", "backup.dir=x"}, "backup.dir=x");
    assertBecomes(new String[] {"backup", "--dir", "x"}, "backup", "--dir", "x");
  }

  @Test
  void commandsAndTheToolsOwnOptionsAreLeftAsTheyAre() {
    assertBecomes(new String[] {"demo"}, "demo");
    assertBecomes(new String[] {"verify", "--dir", "b"}, "verify", "--dir", "b");
    assertBecomes(new String[] {"demo"}, "--demo");
    assertBecomes(new String[] {"emulator", "--help"}, "emulator", "--help");
    assertBecomes(new String[] {"--help"}, "--help");
    assertBecomes(new String[] {"--version"}, "--version");
  }
}
