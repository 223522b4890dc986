package io.github.cloudinarybackup;

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

  /** @param stop what the process's signals do, or {@code null} to leave them to the JVM */
  public BackupCommand(PrintStream out, PrintStream err, GracefulStop stop) {
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  public int run(String... args) {
    boolean demo = false;
    for (String arg : args) {
      switch (arg) {
        case "--demo" -> demo = true;
        case "-h", "--help" -> {
          out.println(usage());
          return ExitCode.OK;
        }
        default -> {
          err.println("cloudinary-backup: unknown argument '" + arg + "' (settings are -Dkey=value; see --help)");
          return ExitCode.CONFIGURATION;
        }
      }
    }
    return demo ? demo() : backup(Map.of());
  }

  /**
   * Backs up the built-in demo account, served by the emulator on this machine, into ./demo-backup, with the
   * bundled settings only: the environment and -D may hold a real account and its folder (CLOUDINARY_URL,
   * BACKUP_DIR), and the demo must reach neither.
   */
  private int demo() {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      out.println("Demo: a Cloudinary emulator serves a small account at " + emulator.baseUri());
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("cloudinary.url", emulator.cloudinaryUrl());
      settings.put("backup.dir", DEMO_DIR);
      int code = backup(settings, false);
      if (code == ExitCode.OK || code == ExitCode.FAILURES) {
        Path dir = Path.of(DEMO_DIR).toAbsolutePath();
        out.println();
        out.println("Look at the backup in " + dir);
        out.println("  the originals, in the account's folder tree");
        out.println("  .cloudinary-backup/manifest.jsonl  one line per asset: path, bytes, md5, status");
        out.println("  .cloudinary-backup/catalog.db      the MapDB catalog a later run resumes from");
      }
      return code;
    }
  }

  /** Runs Camel until the backup-once route stops it; {@code overrides} beat every other setting. */
  public int backup(Map<String, String> overrides) {
    return backup(overrides, true);
  }

  /** @param userSettings whether the environment and system properties apply (Camel reads them before overrides) */
  private int backup(Map<String, String> overrides, boolean userSettings) {
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
    if (!userSettings) {
      camel.addMainListener(new MainListenerSupport() {
        @Override
        public void beforeConfigure(BaseMainSupport main) {
          PropertiesComponent properties = (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
          properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
          properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
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
      err.println("cloudinary-backup: the backup stopped unexpectedly (see the log above);"
          + " the catalog is intact, run the same command again to resume");
    }
    return outcome.exitCode();
  }

  private static String usage() {
    return String.join(
        "\n",
        "Usage: java [-Dkey=value ...] -jar cloudinary-backup.jar [--demo]",
        "",
        "Backs up every original of a Cloudinary account into a mirrored folder tree, with a MapDB",
        "catalog and a manifest. Credentials: CLOUDINARY_URL, or CLOUD_NAME, API_KEY and API_SECRET",
        "(environment or .env). Settings (backup.dir, backup.resource-types, ...) are listed in the README.",
        "",
        "  --demo   back up a built-in demo account served by a local emulator into ./demo-backup",
        "",
        "Exit codes: 0 all backed up, 1 some assets failed, 2 configuration or credentials, 3 run stopped.");
  }
}
