package io.github.cloudinarybackup;

import io.github.cloudinarybackup.cli.CloudinaryBackupCli;
import io.github.cloudinarybackup.observe.ConsoleLogging;
import io.github.cloudinarybackup.run.GracefulStop;

/**
 * Entry point of {@code java -jar cloudinary-backup.jar}: wires the streams and exits with the
 * run's code.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // before the first logger: one masked line per event on stdout (the JDK's default is stderr)
    ConsoleLogging.install(System.out);
    // Ctrl-C and SIGTERM stop a run in order (GracefulStop), from the first moment on
    GracefulStop stop = new GracefulStop(System.err, code -> Runtime.getRuntime().halt(code));
    stop.install();
    // A thread that dies of OutOfMemoryError would leave its exchange in flight forever; the
    // catalog
    // is transactional, so ending at once is safe and a rerun resumes.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (error instanceof OutOfMemoryError) {
            System.err.println(
                "cloudinary-backup: " + Messages.outOfMemory((OutOfMemoryError) error));
            Runtime.getRuntime().halt(ExitCode.ABORTED);
          } else if (error instanceof VirtualMachineError) {
            System.err.println("cloudinary-backup: fatal: " + error + " (run again to resume)");
            Runtime.getRuntime().halt(ExitCode.ABORTED);
          }
          error.printStackTrace();
        });
    System.exit(CloudinaryBackupCli.run(args, System.out, System.err, stop));
  }
}
