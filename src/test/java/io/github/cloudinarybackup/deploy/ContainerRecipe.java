package io.github.cloudinarybackup.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands deploy/Containerfile runs: at build time, the class list a demo backup loads and the
 * class-data archive made of it; the entrypoint.
 */
public record ContainerRecipe(
    String text,
    List<String> classListCommand,
    List<String> archiveCommand,
    List<String> entrypoint) {

  public static final Path FILE = Path.of("deploy/Containerfile").toAbsolutePath();

  public static ContainerRecipe read() throws IOException {
    String text = Files.readString(FILE);
    return new ContainerRecipe(
        text,
        words(find(text, "\nRUN (java [^>&\\n]+?) *>")),
        words(find(text, "\n && (java [^>&\\n]+?-Xshare:dump[^>&\\n]+?) *>")),
        List.of(find(text, "\nENTRYPOINT \\[(.*)\\]").replace("\"", "").split(", ")));
  }

  /** The JVM options of the entrypoint: what sits between {@code java} and {@code -jar}. */
  public List<String> entrypointOptions() {
    return entrypoint.subList(1, entrypoint.indexOf("-jar"));
  }

  /** The value of {@code option=} in a command. */
  public static String value(List<String> command, String option) {
    return command.stream()
        .filter(w -> w.startsWith(option + "="))
        .map(w -> w.substring(option.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + option + " in " + command));
  }

  private static List<String> words(String command) {
    return List.of(command.trim().split(" +"));
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("deploy/Containerfile has no " + regex);
    }
    return m.group(1);
  }
}
