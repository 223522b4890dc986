package io.github.cloudinarybackup.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a child process, as a user runs it. */
final class JarProcess {

  static final Path JAR =
      Path.of(System.getProperty("it.backup-jar", "target/cloudinary-backup.jar")).toAbsolutePath();

  /** How a finished run ended. */
  record Run(int exitCode, String out, String err) {}

  private final Process process;
  private final Path out;
  private final Path err;

  private JarProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code java <args>} in {@code cwd} with a clean Cloudinary environment plus {@code env}. */
  static JarProcess start(Path cwd, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    return exec(cwd, env, command);
  }

  /** Starts any command in {@code cwd}, with the same clean environment. */
  static JarProcess exec(Path cwd, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CLOUD") || k.startsWith("API_") || k.startsWith("BACKUP_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    return new JarProcess(pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
  }

  /** Runs to the end (at most two minutes). */
  static Run run(Path cwd, Map<String, String> env, String... args) throws Exception {
    return start(cwd, env, args).await();
  }

  Run await() throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the jar did not exit by itself: " + Files.readString(err));
    }
    return collect();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as kill -9 does: no shutdown hook runs. */
  Run kill() throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    return collect();
  }

  private Run collect() throws IOException {
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return run;
  }
}
