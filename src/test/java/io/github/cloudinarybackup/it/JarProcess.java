package io.github.cloudinarybackup.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * Starts {@code java <args>} in {@code cwd} with a clean Cloudinary environment plus {@code env}.
   */
  static JarProcess start(Path cwd, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    return exec(cwd, env, command);
  }

  /** Starts any command in {@code cwd}, with the same clean environment. */
  static JarProcess exec(Path cwd, Map<String, String> env, List<String> command)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("CLOUD") || k.startsWith("API_") || k.startsWith("BACKUP_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    return new JarProcess(
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
  }

  /** Runs to the end. */
  static Run run(Path cwd, Map<String, String> env, String... args) throws Exception {
    return start(cwd, env, args).await();
  }

  /**
   * Waits for the process to end, with no deadline of its own: JUnit's timeout
   * (junit-platform.properties) interrupts a test that hangs, and the process is then killed rather
   * than left behind.
   */
  Run await() throws Exception {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw new AssertionError(
          "interrupted while waiting for the jar to exit: " + Files.readString(err), e);
    }
    return collect();
  }

  /** What the test waits for. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Waits until {@code condition} holds; fails if the process ends first. No deadline of its own,
   * as {@link #await}.
   */
  void awaitWhileAlive(Condition condition) throws Exception {
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new AssertionError("the run ended first: " + outputSoFar());
      }
      Thread.sleep(10);
    }
  }

  /** Sends a signal by name (INT, TERM, HUP) as kill(1) does. */
  void signal(String name) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /** Whether the process is still running. */
  boolean alive() {
    return process.isAlive();
  }

  /** What the process has written to stdout and stderr so far. */
  String outputSoFar() throws IOException {
    return Files.readString(out) + Files.readString(err);
  }

  /** SIGKILL, as kill -9 does: no shutdown hook runs. */
  Run kill() throws Exception {
    process.destroyForcibly().waitFor();
    return collect();
  }

  private Run collect() throws IOException {
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return run;
  }
}
