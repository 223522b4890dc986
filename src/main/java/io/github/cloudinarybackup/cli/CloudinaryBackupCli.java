package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.BackupCommand;
import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.run.GracefulStop;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line: {@code backup} (the default when no subcommand is named, so {@code java -jar
 * cloudinary-backup.jar} backs up as it always did), {@code verify}, {@code restore}, {@code demo}
 * and {@code emulator}; {@code --help} on each, {@code --version}. Returns the exit code; {@link
 * io.github.cloudinarybackup.Main} exits with it.
 */
@Command(
    name = "cloudinary-backup",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    usageHelpAutoWidth = true,
    synopsisSubcommandLabel = "[COMMAND]",
    description = {
      "Backs up every original of a Cloudinary account into a folder tree that mirrors the account, with a MapDB"
          + " catalog and a manifest; a rerun downloads only what changed. Without a command, backup runs:"
          + " 'cloudinary-backup --concurrency 16' is 'cloudinary-backup backup --concurrency 16'."
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Run 'cloudinary-backup <command> --help' for a command's settings.",
      "",
      ExitCodes.TEXT
    })
public final class CloudinaryBackupCli implements Runnable {

  private static final Set<String> COMMANDS =
      Set.of("backup", "verify", "restore", "demo", "emulator", "help");
  private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  @Override
  public void run() {
    // only reached with no command, which withDefaultCommand turns into 'backup'
  }

  /** Parses {@code args}, runs the command they name and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, GracefulStop stop) {
    BackupCommand runner = new BackupCommand(out, err, stop);
    CommandLine cli =
        new CommandLine(new CloudinaryBackupCli())
            .addSubcommand("backup", BackupSubcommand.commandLine(runner))
            .addSubcommand("verify", new VerifySubcommand())
            .addSubcommand("restore", new RestoreSubcommand(stop, out, err))
            .addSubcommand("demo", new DemoSubcommand(runner))
            .addSubcommand("emulator", new EmulatorSubcommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, rejected) -> {
          String hint =
              e instanceof UnmatchedArgumentException unmatched
                      && !unmatched.getSuggestions().isEmpty()
                  ? " — did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?"
                  : "";
          err.println("cloudinary-backup: " + e.getMessage() + hint + " (see --help)");
          return ExitCode.CONFIGURATION;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          err.println("cloudinary-backup: " + e.getMessage());
          return ExitCode.CONFIGURATION;
        });
    return cli.execute(withDefaultCommand(args));
  }

  /**
   * {@code backup} in front of arguments that name no command; {@code --demo}, the demo's flag
   * before there were commands, becomes {@code demo}.
   */
  static String[] withDefaultCommand(String[] args) {
    if (args.length == 1 && "--demo".equals(args[0])) {
      return new String[] {"demo"};
    }
    if (args.length > 0 && (COMMANDS.contains(args[0]) || OWN_OPTIONS.contains(args[0]))) {
      return args;
    }
    List<String> withBackup = new ArrayList<>(List.of("backup"));
    withBackup.addAll(Arrays.asList(args));
    return withBackup.toArray(String[]::new);
  }
}
