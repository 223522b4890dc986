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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/Containerfile does, without a container runtime: its build step makes the class-data
 * archive from the packaged jar, and its entrypoint backs up with that archive in use.
 */
class ContainerImageIT {

  @TempDir Path app;

  @Test
  void theBuildStepsArchiveIsUsedByTheEntrypointForABackup() throws Exception {
    ContainerRecipe recipe = ContainerRecipe.read();
    Path archive = app.resolve("cloudinary-backup.jsa");

    for (List<String> step : List.of(recipe.classListCommand(), recipe.archiveCommand())) {
      JarProcess.Run build = JarProcess.run(app, Map.of(), onThisMachine(step, archive));
      assertEquals(0, build.exitCode(), build.err());
    }
    assertTrue(Files.size(archive) > 1_000_000, "the archive holds the classes a backup loads");

    EmulatorAccount account = EmulatorAccount.generate(21, 80, FolderMode.DYNAMIC);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path classLog = app.resolve("classes.log");
      // -Xshare:on: the JVM refuses to start rather than quietly run without the archive
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-Xshare:on", "-Xlog:class+load=info:file=" + classLog, "-Dbackup.dir=backup"));
      args.addAll(List.of(onThisMachine(recipe.entrypoint(), archive)));
      JarProcess.Run run =
          JarProcess.run(
              app, Map.of("CLOUDINARY_URL", emulator.cloudinaryUrl()), args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertFalse((run.out() + run.err()).contains("[cds"), "no class-data warning: " + run.out());
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

  /** The image's command with this build's jar and a temporary archive for /app's. */
  private static String[] onThisMachine(List<String> command, Path archive) {
    return command.stream()
        .skip(1) // java: JarProcess runs this JVM's
        .map(
            w ->
                w.replace("/app/cloudinary-backup.jar", JarProcess.JAR.toString())
                    .replace("/app/cloudinary-backup.jsa", archive.toString())
                    .replace(
                        "/app/classes.list", archive.resolveSibling("classes.list").toString()))
        .toArray(String[]::new);
  }
}
