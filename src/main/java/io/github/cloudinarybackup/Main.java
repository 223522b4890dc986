package io.github.cloudinarybackup;

/** Entry point of {@code java -jar cloudinary-backup.jar}: wires the streams and exits with the run's code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(new BackupCommand(System.out, System.err).run(args));
  }
}
