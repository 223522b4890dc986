package io.github.cloudinarybackup;

import io.github.cloudinarybackup.config.UserSettings;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.run.GracefulStop;
import io.github.cloudinarybackup.run.RunOutcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The command line: one backup run (or {@code --demo}), returning the exit code. All settings come
 * from properties ({@code -Dkey=value}, environment variables, application.properties).
 */
public final class BackupCommand {

  static final String DEMO_DIR = "demo-backup";
  static final String BUNDLED_ROUTES = "classpath:routes/backup.yaml";

  private final PrintStream out;
  private final PrintStream err;
  private final GracefulStop stop;

  public BackupCommand(PrintStream out, PrintStream err) {
    this(out, err, null);
  }

  /**
   * @param stop what the process's signals do, or {@code null} to leave them to the JVM
   */
  public BackupCommand(PrintStream out, PrintStream err, GracefulStop stop) {
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  /**
   * Backs up the built-in demo account, served by the emulator on this machine, into ./demo-backup,
   * with the bundled settings only: the environment and -D may hold a real account and its folder
   * (CLOUDINARY_URL, BACKUP_DIR), and the demo must reach neither.
   */
  public int demo() {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      out.println("Demo: a Cloudinary emulator serves a small account at " + emulator.baseUri());
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("cloudinary.url", emulator.cloudinaryUrl());
      settings.put("backup.dir", DEMO_DIR);
      int code = backup(settings, Sources.BUNDLED);
      if (code == ExitCode.OK || code == ExitCode.FAILURES) {
        Path dir = Path.of(DEMO_DIR).toAbsolutePath();
        out.println();
        out.println("Look at the backup in " + dir);
        out.println("  the originals, in the account's folder tree");
        out.println(
            "  .cloudinary-backup/manifest.jsonl  one line per asset: path, bytes, md5, status");
        out.println(
            "  .cloudinary-backup/catalog.db      the MapDB catalog a later run resumes from");
        out.println(
            "Check every file against the catalog (size and MD5), offline: cloudinary-backup verify --dir "
                + DEMO_DIR);
        out.println(
            "Put it back into an account (for a try, an empty emulator: cloudinary-backup emulator --assets 0"
                + " prints its URL): CLOUDINARY_URL=<that URL> cloudinary-backup restore --dir "
                + DEMO_DIR);
      }
      return code;
    }
  }

  /**
   * Runs Camel until the backup-once route stops it; {@code overrides} beat every other setting.
   */
  public int backup(Map<String, String> overrides) {
    return backup(overrides, Sources.USER);
  }

  /**
   * A backup with settings from the command line, which beat the environment, which beats system
   * properties (-D before -jar), which beat application.properties.
   */
  public int backupWithCommandLine(Map<String, String> commandLine) {
    return commandLine.isEmpty()
        ? backup(Map.of(), Sources.USER)
        : backup(commandLine, Sources.COMMAND_LINE_FIRST);
  }

  /** Which settings apply besides the given ones. */
  private enum Sources {
    /**
     * Camel's own order: the environment, then system properties, then the given, then
     * application.properties.
     */
    USER,
    /** The given first, then the environment, system properties, application.properties. */
    COMMAND_LINE_FIRST,
    /** Only the given and application.properties (the demo). */
    BUNDLED
  }

  private int backup(Map<String, String> overrides, Sources sources) {
    RunOutcome outcome = new RunOutcome();
    org.apache.camel.main.Main camel = new org.apache.camel.main.Main();
    camel.bind(BackupBeans.OUTCOME, outcome);
    camel.bind(BackupBeans.OUT, out);
    camel.bind(BackupBeans.ERR, err);
    if (stop != null) {
      camel.bind(BackupBeans.STOP, stop);
    }
    // the bundled routes, unless a setting names others; named, not a wildcard: a classpath
    // wildcard makes Camel scan every entry of the jar (0.3-0.6 s of start-up)
    camel.addInitialProperty("camel.main.routes-include-pattern", BUNDLED_ROUTES);
    overrides.forEach(camel::addOverrideProperty);
    if (sources != Sources.USER) {
      camel.addMainListener(
          new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
              PropertiesComponent properties =
                  (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
              if (sources == Sources.COMMAND_LINE_FIRST) {
                // Camel looks the environment and system properties up before any override: they
                // are
                // put among the overrides here, under the command line's settings, and then not
                // looked up again
                UserSettings.environmentThenSystem(
                        properties.loadProperties().stringPropertyNames(), overrides)
                    .forEach(properties::addOverrideProperty);
                overrides.forEach(properties::addOverrideProperty);
                // a key no one else sets (a placeholder of edited routes) still comes from them
                properties.setEnvironmentVariableMode(
                    PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
                properties.setSystemPropertiesMode(
                    PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
              } else {
                properties.setEnvironmentVariableMode(
                    PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
                properties.setSystemPropertiesMode(
                    PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
              }
            }
          });
    }
    try {
      camel.run();
    } catch (Exception e) {
      err.println("cloudinary-backup: could not start: " + e.getMessage());
      return ExitCode.CONFIGURATION;
    }
    if (!outcome.settled()) {
      err.println(
          "cloudinary-backup: the backup stopped unexpectedly (see the log above);"
              + " the catalog is intact, run the same command again to resume");
    }
    return outcome.exitCode();
  }
}
