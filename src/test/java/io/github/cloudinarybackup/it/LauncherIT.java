package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/cloudinary-backup, the way the README tells users to run the tool: the recommended JVM
 * options, and a class-data archive the first run of a build makes and later runs map.
 */
class LauncherIT {

  private static final Path LAUNCHER = Path.of("bin/cloudinary-backup").toAbsolutePath();

  @TempDir Path cwd;

  private JarProcess.Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    java.util.Map<String, String> all = new java.util.HashMap<>(env);
    all.putIfAbsent("CLOUDINARY_BACKUP_JAR", JarProcess.JAR.toString());
    all.put("XDG_CACHE_HOME", cwd.resolve("cache").toString());
    all.put("JAVA_HOME", System.getProperty("java.home"));
    return JarProcess.exec(cwd, all, command).await();
  }

  @Test
  void theFirstRunMakesTheClassArchiveAndTheNextOnesUseIt() throws Exception {
    // the jar named relative to the working folder: the archive is made from another folder (no
    // archive was made then), and the next run names the same jar by its absolute path
    Path jar =
        Files.copy(
            JarProcess.JAR, Files.createDirectories(cwd.resolve("lib")).resolve("backup.jar"));
    JarProcess.Run first = launch(Map.of("CLOUDINARY_BACKUP_JAR", "lib/backup.jar"), "--demo");
    assertEquals(0, first.exitCode(), first.err() + first.out());
    BackupIT.assertCompleteBackup(EmulatorAccount.demo(), cwd.resolve("demo-backup"));
    List<Path> archives;
    try (Stream<Path> files = Files.list(cwd.resolve("cache/cloudinary-backup"))) {
      archives = files.filter(f -> f.toString().endsWith(".jsa")).toList();
    }
    assertEquals(1, archives.size(), "one archive for this build of the jar: " + archives);

    Path classLog = cwd.resolve("classes.log");
    JarProcess.Run second =
        launch(
            Map.of(
                "CLOUDINARY_BACKUP_JAR",
                jar.toString(),
                "JAVA_OPTS",
                "-Xshare:on -Xlog:class+load=info:file=" + classLog),
            "--demo");
    assertEquals(0, second.exitCode(), second.err() + second.out());
    String classes = Files.readString(classLog);
    for (String used :
        List.of(
            "io.github.cloudinarybackup.catalog.Catalog",
            // compiled for Java 5: a dynamic archive (-XX:ArchiveClassesAtExit) leaves them out
            "picocli.CommandLine",
            "java.lang.Object")) {
      assertTrue(
          classes.contains(used + " source: shared objects file"),
          used + " comes from the archive");
    }
    // the demo's emulator is in the demo's JVM, not in a backup's: its classes stay out of the
    // archive
    for (String emulatorOnly :
        List.of(
            "io.github.cloudinarybackup.emulator.CloudinaryEmulator",
            "com.sun.net.httpserver.HttpServer",
            "com.fasterxml.jackson.databind.ObjectMapper")) {
      assertTrue(classes.contains(emulatorOnly + " source: "), emulatorOnly + " was loaded");
      assertTrue(
          !classes.contains(emulatorOnly + " source: shared objects file"),
          emulatorOnly + " is not in the archive");
    }
    assertTrue(
        !(first.out() + first.err() + second.out() + second.err()).contains("[cds"),
        "no class-data chatter");
  }

  @Test
  void aNewBuildOfAJarReplacesItsArchiveAndLeavesOtherJarsArchives() throws Exception {
    Path installed = Files.copy(JarProcess.JAR, cwd.resolve("installed.jar"));
    Path built = Files.copy(JarProcess.JAR, cwd.resolve("built.jar"));
    assertEquals(
        0, launch(Map.of("CLOUDINARY_BACKUP_JAR", installed.toString()), "--demo").exitCode());
    assertEquals(0, launch(Map.of("CLOUDINARY_BACKUP_JAR", built.toString()), "--demo").exitCode());
    List<Path> before = archives();
    assertEquals(2, before.size(), "one archive per jar: " + before);

    // rebuilding changes the jar's modification time: its next run makes a new archive, and the old
    // one,
    // which no run can use any more, goes (every build would otherwise leave 50 MB in the cache)
    Files.setLastModifiedTime(
        built, FileTime.from(Files.getLastModifiedTime(built).toInstant().plusSeconds(60)));
    assertEquals(0, launch(Map.of("CLOUDINARY_BACKUP_JAR", built.toString()), "--demo").exitCode());
    List<Path> after = archives();
    assertEquals(2, after.size(), "still one archive per jar: " + after);
    assertEquals(
        1,
        after.stream().filter(before::contains).count(),
        "the installed jar's archive stays: " + after);
  }

  private List<Path> archives() throws Exception {
    try (Stream<Path> files = Files.list(cwd.resolve("cache/cloudinary-backup"))) {
      return files.filter(f -> f.toString().endsWith(".jsa")).sorted().toList();
    }
  }

  @Test
  void theFirstRunBacksUpTheUsersAccountOnceAndTheArchiveComesFromTheDemo() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(14, 60, FolderMode.FIXED);
    long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      JarProcess.Run first =
          launch(Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl(), "BACKUP_DIR", "backup"));
      assertEquals(0, first.exitCode(), first.err() + first.out());
      BackupIT.assertCompleteBackup(account, cwd.resolve("backup"));
      // the run the user asked for did the work: the archive's demo run called nothing of the
      // user's account
      assertTrue(
          first.out().matches("(?s).*downloaded +" + originals + " originals.*"), first.out());
      Matcher calls = Pattern.compile("\\((\\d+) Admin API calls\\)").matcher(first.out());
      assertTrue(calls.find(), first.out());
      assertEquals(
          Long.parseLong(calls.group(1)),
          emulator.requests().stream().filter(r -> r.kind() == Kind.ADMIN).count(),
          "the emulator answered the Admin calls of one run");
      try (Stream<Path> files = Files.list(cwd.resolve("cache/cloudinary-backup"))) {
        assertTrue(files.anyMatch(f -> f.toString().endsWith(".jsa")), "the archive was made");
      }
    }
  }

  @Test
  void theJarsExitCodeAndErrorsComeThrough() throws Exception {
    JarProcess.Run bad = launch(Map.of(), "--no-such-option");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("Unknown option"), bad.err());

    List<String> command = List.of("sh", LAUNCHER.toString(), "--demo");
    JarProcess.Run missing =
        JarProcess.exec(
                cwd,
                Map.of("CLOUDINARY_BACKUP_JAR", cwd.resolve("nowhere.jar").toString()),
                command)
            .await();
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().startsWith("cloudinary-backup: cannot find"), missing.err());
  }
}
