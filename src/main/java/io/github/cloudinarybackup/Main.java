package io.github.cloudinarybackup;

/** Entry point of {@code java -jar cloudinary-backup.jar}: wires the streams and exits with the run's code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // A thread that dies of OutOfMemoryError would leave its exchange in flight forever; the catalog
    // is transactional, so ending at once is safe and a rerun resumes.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (error instanceof VirtualMachineError) {
            System.err.println("cloudinary-backup: fatal: " + error + " (rerun to resume)");
            Runtime.getRuntime().halt(ExitCode.ABORTED);
          }
          error.printStackTrace();
        });
    System.exit(new BackupCommand(System.out, System.err).run(args));
  }
}
