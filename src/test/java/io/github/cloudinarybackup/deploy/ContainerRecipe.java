package io.github.cloudinarybackup.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What deploy/Containerfile does: copies the launcher beside the jar, runs it once at build time so
 * that it makes its class-data archive where {@code CLOUDINARY_BACKUP_ARCHIVE} says, and runs it as
 * the entrypoint.
 *
 * @param buildStep the launcher command the build runs (its first command)
 * @param archive the archive's path in the image
 */
public record ContainerRecipe(
    String text, List<String> buildStep, String archive, List<String> entrypoint) {

  public static final Path FILE = Path.of("deploy/Containerfile").toAbsolutePath();

  /** Where the image keeps the launcher and the jar. */
  public static final String LAUNCHER = "/app/cloudinary-backup";

  public static final String JAR = "/app/cloudinary-backup.jar";

  public static ContainerRecipe read() throws IOException {
    String text = Files.readString(FILE);
    return new ContainerRecipe(
        text,
        List.of(find(text, "\nRUN ([^>&\\n]+?) *>").trim().split(" +")),
        find(text, "\nENV CLOUDINARY_BACKUP_ARCHIVE=(\\S+)"),
        List.of(find(text, "\nENTRYPOINT \\[(.*)\\]").replace("\"", "").split(", ")));
  }

  /** The JVM options a launcher script sets (its {@code options="…"} line). */
  public static List<String> launcherOptions(Path launcher) throws IOException {
    return List.of(find(Files.readString(launcher), "\noptions=\"([^\"]+)\"").split(" "));
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + regex);
    }
    return m.group(1);
  }
}
