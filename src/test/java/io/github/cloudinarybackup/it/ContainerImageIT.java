package io.github.cloudinarybackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.deploy.ContainerRecipe;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/Containerfile does, without a container runtime: the launcher beside the jar, as in
 * the image; its build step makes the class-data archive, and its entrypoint backs up with it.
 */
class ContainerImageIT {

  @TempDir Path app;

  @Test
  void theBuildStepsArchiveIsUsedByTheEntrypointForABackup() throws Exception {
    ContainerRecipe recipe = ContainerRecipe.read();
    Files.copy(Path.of("bin/cloudinary-backup").toAbsolutePath(), app.resolve("cloudinary-backup"));
    Files.copy(JarProcess.JAR, app.resolve("cloudinary-backup.jar"));
    Path archive = app.resolve("cloudinary-backup.jsa");
    Map<String, String> image = new HashMap<>();
    image.put("CLOUDINARY_BACKUP_ARCHIVE", onThisMachine(recipe.archive()));
    image.put("JAVA_HOME", System.getProperty("java.home"));

    JarProcess.Run build = JarProcess.exec(app, image, command(recipe.buildStep())).await();
    assertEquals(0, build.exitCode(), build.err());
    assertTrue(Files.size(archive) > 1_000_000, "the archive holds the classes a backup loads");

    EmulatorAccount account = EmulatorAccount.generate(21, 80, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path classLog = app.resolve("classes.log");
      Map<String, String> run = new HashMap<>(image);
      run.put("CLOUDINARY_URL", emulator.cloudinaryUrl());
      run.put("BACKUP_DIR", "backup");
      // -Xshare:on: the JVM refuses to start rather than quietly run without the archive
      run.put("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classLog);
      JarProcess.Run backup = JarProcess.exec(app, run, command(recipe.entrypoint())).await();
      assertEquals(0, backup.exitCode(), backup.err() + backup.out());
      assertFalse(
          (backup.out() + backup.err()).contains("[cds"), "no class-data warning: " + backup.out());
      BackupIT.assertCompleteBackup(account, app.resolve("backup"));
      String classes = Files.readString(classLog);
      for (String used :
          List.of(
              "io.github.cloudinarybackup.catalog.Catalog",
              "org.apache.camel.component.http.HttpProducer",
              "org.mapdb.StoreWAL",
              "picocli.CommandLine")) {
        assertTrue(
            classes.contains(used + " source: shared objects file"),
            used + " comes from the archive");
      }
    }
  }

  /** The image's command, run by sh from this machine's copy of /app. */
  private List<String> command(List<String> words) {
    List<String> command = new ArrayList<>(List.of("sh"));
    words.forEach(w -> command.add(onThisMachine(w)));
    return command;
  }

  private String onThisMachine(String word) {
    return word.startsWith("/app/")
        ? app.resolve(word.substring("/app/".length())).toString()
        : word;
  }
}
