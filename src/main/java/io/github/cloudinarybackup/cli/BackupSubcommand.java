package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.BackupCommand;
import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.config.BackupSettings;
import io.github.cloudinarybackup.config.Setting;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code backup}: one backup run (or a daemon, with a schedule). Every setting of {@link
 * BackupSettings} is an option ({@code --concurrency 16}); {@code -Dkey=value} and {@code
 * key=value} are accepted after the jar too. Settings given here beat the environment, which beats
 * {@code -D} before {@code -jar}, which beats application.properties.
 */
@Command(
    name = "backup",
    header = "Back up the account (the default command).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    customSynopsis =
        "cloudinary-backup [backup] [--<setting> <value> | --<setting>=<value> | -D<key>=<value> | <key>=<value>]...",
    description = {
      "%nBacks up the account in CLOUDINARY_URL (cloudinary://<api_key>:<api_secret>@<cloud_name>), or in CLOUD_NAME,"
          + " API_KEY and API_SECRET, from the environment or a .env file. A rerun downloads only what changed.",
      "%nEvery setting below is also read from the environment (the variable shown), from -D<key>=<value> before -jar"
          + " and from application.properties. Precedence: the command line, then the environment, then -D before -jar,"
          + " then application.properties. A backup.* key that is not listed here is an error wherever it is given.%n"
    },
    footer = {"", ExitCodes.TEXT})
final class BackupSubcommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "-D",
      paramLabel = "<key>=<value>",
      description = "a setting by its key, e.g. -Dbackup.dry-run=true")
  Map<String, String> properties = new LinkedHashMap<>();

  @Parameters(
      paramLabel = "<key>=<value>",
      arity = "0..*",
      description = "a setting by its key, e.g. backup.dir=./backup")
  List<String> assignments = new ArrayList<>();

  private final BackupCommand runner;

  private BackupSubcommand(BackupCommand runner) {
    this.runner = runner;
  }

  /** The command with an option for every setting, generated from their one definition. */
  static CommandLine commandLine(BackupCommand runner) {
    CommandLine command = new CommandLine(new BackupSubcommand(runner));
    for (Setting setting : BackupSettings.ALL) {
      command.getCommandSpec().addOption(option(setting));
    }
    return command;
  }

  private static OptionSpec option(Setting setting) {
    String shown = setting.defaultValue().isEmpty() ? "none" : setting.defaultValue();
    OptionSpec.Builder option =
        OptionSpec.builder(setting.option())
            .type(String.class)
            .paramLabel(
                setting.values().startsWith("<") ? setting.values() : "<" + setting.values() + ">")
            // picocli formats descriptions: a % of the text must be doubled
            .description(
                (setting.description()
                        + " (default: "
                        + shown
                        + "; "
                        + setting.environmentVariable()
                        + ")")
                    .replace("%", "%%"));
    if (setting.isFlag()) {
      // --dry-run alone means true; --dry-run=false is allowed
      option.arity("0..1").fallbackValue("true").paramLabel("true|false").hideParamSyntax(false);
    }
    return option.build();
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> given = new LinkedHashMap<>(properties);
    List<String> problems = new ArrayList<>();
    for (String assignment : assignments) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        problems.add("expected an option or key=value, got '" + assignment + "'");
      } else {
        given.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1));
      }
    }
    ParseResult parsed = spec.commandLine().getParseResult();
    for (Setting setting : BackupSettings.ALL) {
      if (parsed.hasMatchedOption(setting.option())) {
        given.put(setting.key(), parsed.matchedOptionValue(setting.option(), ""));
      }
    }
    problems.addAll(BackupSettings.unknown(given.keySet(), "command line"));
    given.forEach(
        (key, value) ->
            BackupSettings.find(key).flatMap(s -> s.problem(value)).ifPresent(problems::add));
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("cloudinary-backup: " + problem));
      err.flush();
      return ExitCode.CONFIGURATION;
    }
    return runner.backupWithCommandLine(given);
  }
}
