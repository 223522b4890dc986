package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.BackupCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code demo}: backs up a built-in account, served by the emulator on this machine, into
 * ./demo-backup.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Back up a built-in demo account served by a local emulator into ./demo-backup.",
    usageHelpAutoWidth = true,
    description = {
      "%nNeeds no account and no network: the Cloudinary emulator serves the account on 127.0.0.1. Uses only the"
          + " bundled settings: CLOUDINARY_URL, BACKUP_* and -Dbackup.* from your shell are ignored, so the demo never"
          + " reaches your account or its folder."
    },
    footer = {"", ExitCodes.TEXT})
final class DemoSubcommand implements Callable<Integer> {

  private final BackupCommand runner;

  DemoSubcommand(BackupCommand runner) {
    this.runner = runner;
  }

  @Override
  public Integer call() {
    return runner.demo();
  }
}
