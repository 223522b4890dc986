package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.it.JarProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML routes under Camel JBang ({@code camel run}, 4.17.0 here), with the project's beans as a
 * Maven dependency, exactly as the README documents, through {@code tools/camel-jbang/camel}. The
 * thin jar and pom are published under a version of their own to a file repository, so no stale
 * install in ~/.m2 can stand in for them.
 */
class CamelRunIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path CAMEL = ROOT.resolve("tools/camel-jbang/camel");
  private static final String VERSION =
      System.getProperty("it.project-version", "0.1.0-SNAPSHOT")
          + "-it"
          + ProcessHandle.current().pid();
  private static final String GAV = "io.github.cloudinarybackup:cloudinary-backup:" + VERSION;

  @TempDir static Path repo;
  @TempDir Path tmp;

  @BeforeAll
  static void publishTheBeansAndResolveTheCli() throws Exception {
    Path dir = repo.resolve("io/github/cloudinarybackup/cloudinary-backup").resolve(VERSION);
    Files.createDirectories(dir);
    Path jar =
        Path.of(System.getProperty("it.beans-jar", "target/cloudinary-backup-0.1.0-SNAPSHOT.jar"));
    Files.copy(
        jar,
        dir.resolve("cloudinary-backup-" + VERSION + ".jar"),
        StandardCopyOption.REPLACE_EXISTING);
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String projectVersion =
        "<version>" + System.getProperty("it.project-version", "0.1.0-SNAPSHOT") + "</version>";
    assertTrue(pom.contains(projectVersion));
    Files.writeString(
        dir.resolve("cloudinary-backup-" + VERSION + ".pom"),
        pom.replaceFirst(
            java.util.regex.Pattern.quote(projectVersion), "<version>" + VERSION + "</version>"));
    // the first call resolves Camel JBang's classpath with Maven
    Run version = camel(ROOT, Map.of(), "version");
    assertEquals(0, version.exitCode(), version.err());
    assertTrue(version.out().contains("Camel JBang version: 4.17.0"), version.out());
  }

  @AfterAll
  static void forgetThePublishedVersion() throws IOException {
    Path copied =
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/io/github/cloudinarybackup/cloudinary-backup",
            VERSION);
    if (Files.isDirectory(copied)) {
      try (Stream<Path> files = Files.walk(copied)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void theEditedRoutesBackUpTheAccountUnderCamelRun() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(81, 120, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // a user's edit of the flow: proof that the routes given to camel run are the ones that run
      Path routes = tmp.resolve("backup.yaml");
      String yaml = Files.readString(ROOT.resolve("routes/backup.yaml"));
      String edited =
          yaml.replaceFirst(
              "(?m)^        - to: \"direct:backup\"$",
              "        - log: \"edited routes in use\"\n        - to: \"direct:backup\"");
      assertTrue(!edited.equals(yaml));
      Files.writeString(routes, edited);
      Path dir = tmp.resolve("backup");

      Run run =
          camelRun(
              Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl(), "BACKUP_DIR", dir.toString()),
              routes);

      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertTrue(
          run.out().contains("Apache Camel 4.17.0 (cloudinary-backup)"),
          "Camel JBang's own runtime: " + run.out());
      assertTrue(run.out().contains("edited routes in use"), run.out());
      assertTrue(
          run.out().contains("Backup of cloud '" + account.cloudName() + "' finished"), run.out());
      BackupIT.assertCompleteBackup(account, dir);
      assertTrue(!(run.out() + run.err()).contains(account.apiSecret()), "no secret in the output");
    }
  }

  @Test
  void refusedCredentialsEndCamelRunWithExitCode2() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(82, 5, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      String wrong = emulator.cloudinaryUrl().replace(account.apiSecret(), "not-the-secret");
      Run run =
          camelRun(
              Map.of("CLOUDINARY_URL", wrong, "BACKUP_DIR", tmp.resolve("b").toString()),
              ROOT.resolve("routes/backup.yaml"));
      assertEquals(2, run.exitCode(), run.out() + run.err());
      assertTrue(
          run.out()
                  .contains(
                      "cloudinary-backup: authentication failed for cloud '"
                          + account.cloudName()
                          + "'")
              || run.err()
                  .contains(
                      "cloudinary-backup: authentication failed for cloud '"
                          + account.cloudName()
                          + "'"),
          run.err());
    }
  }

  private Run camelRun(Map<String, String> env, Path routes) throws Exception {
    return camel(
        tmp,
        env,
        "run",
        routes.toString(),
        ROOT.resolve("application.properties").toString(),
        "--dep=" + GAV,
        "--repos=" + repo.toUri(),
        "--max-seconds=100");
  }

  private static Run camel(Path cwd, Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", CAMEL.toString()));
    command.addAll(List.of(args));
    return JarProcess.exec(cwd, env, command).await();
  }
}
