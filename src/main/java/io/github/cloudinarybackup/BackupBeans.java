package io.github.cloudinarybackup;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.BackupSettings;
import io.github.cloudinarybackup.config.Setting;
import io.github.cloudinarybackup.download.AbortableConnections;
import io.github.cloudinarybackup.download.DownloadsInFlight;
import io.github.cloudinarybackup.download.OriginalFiles;
import io.github.cloudinarybackup.observe.BackupMetrics;
import io.github.cloudinarybackup.observe.BackupRunHealthCheck;
import io.github.cloudinarybackup.observe.CloudinaryHealthCheck;
import io.github.cloudinarybackup.run.AccountConfigurationBackup;
import io.github.cloudinarybackup.run.AssetCataloguer;
import io.github.cloudinarybackup.run.AssetPlanner;
import io.github.cloudinarybackup.run.BackupRun;
import io.github.cloudinarybackup.run.BackupSession;
import io.github.cloudinarybackup.run.DownloadConcurrency;
import io.github.cloudinarybackup.run.DownloadRetryPolicy;
import io.github.cloudinarybackup.run.GracefulStop;
import io.github.cloudinarybackup.run.OriginalDownloads;
import io.github.cloudinarybackup.run.RateLimitGate;
import io.github.cloudinarybackup.run.ResourceListing;
import io.github.cloudinarybackup.run.RunOutcome;
import io.github.cloudinarybackup.run.RunProgress;
import io.github.cloudinarybackup.run.ScheduleAnnouncer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Creates the beans the YAML routes call and the route configurations they opt into. Named in
 * application.properties ({@code camel.main.configuration-classes}), so it works the same under
 * {@code java -jar} and {@code camel run}.
 */
public class BackupBeans implements CamelConfiguration {

  /** The registry name under which {@link BackupCommand} hands in the run outcome it reports. */
  public static final String OUTCOME = "runOutcome";

  /**
   * Registry names of the streams for the summary and for one-line errors (default: the console).
   */
  public static final String OUT = "backupOut";

  public static final String ERR = "backupErr";

  /** The registry name of the {@link GracefulStop} that handles the process's signals, if any. */
  public static final String STOP = "gracefulStop";

  @Override
  public void configure(CamelContext context) throws Exception {
    PropertiesComponent properties = context.getPropertiesComponent();
    BackupConfiguration config =
        BackupConfiguration.load(
            properties::resolveProperty, dotenv(), unknownSettings(properties));
    if (config.problem() != null) {
      givePlaceToDefaults(properties);
    }
    // backup.schedule decides which entry route starts; quartz wants '+' for the cron's spaces, and
    // a valid cron even for the route that stays stopped
    String schedule = properties.resolveProperty("backup.schedule").map(String::trim).orElse("");
    properties.addOverrideProperty("backup.one-shot", Boolean.toString(schedule.isEmpty()));
    properties.addOverrideProperty("backup.scheduled", Boolean.toString(!schedule.isEmpty()));
    properties.addOverrideProperty(
        "backup.schedule-cron",
        (schedule.isEmpty() ? "0 0 0 1 1 ? 2099" : schedule).replace(' ', '+'));

    RunOutcome outcome = context.getRegistry().lookupByNameAndType(OUTCOME, RunOutcome.class);
    // no BackupCommand around (camel run, Camel K): the one-shot run ends the JVM with its exit
    // code
    boolean exitsTheJvm = outcome == null;
    if (outcome == null) {
      outcome = new RunOutcome();
      context.getRegistry().bind(OUTCOME, outcome);
    }
    CloudinaryAdmin admin =
        config.credentials() == null ? null : new CloudinaryAdmin(config.credentials());
    BackupSession session = new BackupSession(config, admin, outcome);
    context.getRegistry().bind("backupSession", session);
    PrintStream out = context.getRegistry().lookupByNameAndType(OUT, PrintStream.class);
    PrintStream err = context.getRegistry().lookupByNameAndType(ERR, PrintStream.class);
    BackupConfiguration.RateLimitSettings limits = config.rateLimits();
    RateLimitGate gate =
        new RateLimitGate(
            session,
            Clock.systemUTC(),
            limits.margin(),
            limits.reserve(),
            limits.initialBackoff(),
            limits.maxBackoff());
    context.getRegistry().bind("rateLimitGate", gate);
    context.getRegistry().bind("pagesInFlight", session.pages());
    context.getRegistry().bind("runProgress", new RunProgress(session));
    // bounded: at most this many downloads in flight (fixed, or adapted as they go); the split
    // waits
    // for a page before the next
    ThreadPoolExecutor pool =
        (ThreadPoolExecutor)
            context
                .getExecutorServiceManager()
                .newFixedThreadPool(this, "download", config.concurrency());
    context.getRegistry().bind("downloadPool", pool);
    DownloadConcurrency concurrency =
        new DownloadConcurrency(
            pool,
            () -> session.statistics().downloaded.get(),
            config.adaptiveConcurrency(),
            config.concurrency(),
            BackupConfiguration.AUTO_CONCURRENCY_MIN,
            BackupConfiguration.AUTO_CONCURRENCY_MAX);
    context.addService(concurrency);
    int retries =
        Integer.parseInt(
            properties
                .resolveProperty("backup.retry.attempts")
                .orElse(BackupSettings.defaultOf("backup.retry.attempts"))
                .trim());
    context
        .getRegistry()
        .bind("downloadRetryPolicy", new DownloadRetryPolicy(session, retries, concurrency));
    PrintStream errors = err != null ? err : System.err;
    PrintStream summary = out != null ? out : System.out;
    context
        .getRegistry()
        .bind("backupRun", new BackupRun(session, gate, summary, errors, exitsTheJvm));
    context.getRegistry().bind("scheduleAnnouncer", new ScheduleAnnouncer(session, summary));
    context.getRegistry().bind("resourceListing", new ResourceListing(session));
    context.getRegistry().bind("assetPlanner", new AssetPlanner(session));
    context.getRegistry().bind("assetCataloguer", new AssetCataloguer(session));
    boolean keepConfiguration =
        !"false"
            .equalsIgnoreCase(
                properties
                    .resolveProperty("backup.account-configuration")
                    .orElse(BackupSettings.defaultOf("backup.account-configuration"))
                    .trim());
    context
        .getRegistry()
        .bind("accountConfiguration", new AccountConfigurationBackup(session, keepConfiguration));
    // the download client's pool: the download threads, and retries waiting on Camel's own threads
    BackupConfiguration.DownloadSettings http = config.downloads();
    AbortableConnections connections =
        new AbortableConnections(
            config.maxConcurrency() + 16, http.connectTimeoutMillis(), http.silenceTimeoutMillis());
    context.getRegistry().bind("downloadConnections", connections);
    // the download route's retries are the only ones: HttpClient's own would multiply them
    context
        .getRegistry()
        .bind("downloadClient", (HttpClientConfigurer) HttpClientBuilder::disableAutomaticRetries);
    DownloadsInFlight downloads =
        new DownloadsInFlight(connections, http.silenceTimeoutMillis(), http.minBytesPerSecond());
    context
        .getRegistry()
        .bind(
            "originalDownloads",
            new OriginalDownloads(session, downloads, new OriginalFiles(session.folder())));
    GracefulStop stop = context.getRegistry().lookupByNameAndType(STOP, GracefulStop.class);
    if (stop == null && exitsTheJvm) {
      // camel run, Camel K: the signals are handled here, as BackupCommand's Main does for java
      // -jar
      stop = new GracefulStop(errors, code -> Runtime.getRuntime().halt(code));
      stop.install();
    }
    if (stop != null) {
      stop.attach(session, downloads);
    }
    context.addRoutes(new BackupErrorHandling());
    observe(context, session, gate);
  }

  /**
   * Health checks (picked up from the registry when camel.health is on) and the backup's metrics
   * (bound to the Prometheus registry camel.metrics creates, once it exists). Both are served by
   * the management server, off unless camel.management.enabled=true.
   */
  private static void observe(CamelContext context, BackupSession session, RateLimitGate gate)
      throws Exception {
    long stuckAfter =
        context
            .getPropertiesComponent()
            .resolveProperty("backup.health.stuck-after-ms")
            .map(Long::parseLong)
            .orElse(900_000L);
    context.getRegistry().bind("cloudinaryHealthCheck", new CloudinaryHealthCheck(session.admin()));
    context
        .getRegistry()
        .bind(
            "backupRunHealthCheck",
            new BackupRunHealthCheck(
                session, gate, Duration.ofMillis(stuckAfter), Clock.systemUTC()));
    context.addStartupListener(
        new StartupListener() {
          @Override
          public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {}

          @Override
          public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
            MeterRegistry meters =
                started.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (meters != null) {
              new BackupMetrics(session).bindTo(meters);
            }
          }
        });
  }

  /**
   * A run with a bad setting reports it in its first step and stops, writing nothing; until then
   * the routes must still build, so each bad value gives way to its default (the environment and
   * system properties, which Camel would look up first, are consulted after it).
   */
  private static void givePlaceToDefaults(PropertiesComponent properties) {
    for (Setting setting : BackupSettings.ALL) {
      if (properties.resolveProperty(setting.key()).flatMap(setting::problem).isPresent()) {
        properties.addOverrideProperty(setting.key(), setting.defaultValue());
      }
    }
    var component = (org.apache.camel.component.properties.PropertiesComponent) properties;
    component.setEnvironmentVariableMode(
        org.apache.camel.component.properties.PropertiesComponent
            .ENVIRONMENT_VARIABLES_MODE_FALLBACK);
    component.setSystemPropertiesMode(
        org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
  }

  /**
   * Settings of ours that the tool does not know, wherever they were given: a mistyped key would
   * otherwise be ignored without a word ({@code backup.dryrun=true} running a full backup).
   */
  private static List<String> unknownSettings(PropertiesComponent properties) {
    Set<String> system = System.getProperties().stringPropertyNames();
    Set<String> files = new TreeSet<>(properties.loadProperties().stringPropertyNames());
    files.removeAll(
        system); // a -D before -jar is among the properties too when the command line copied it
    List<String> unknown = new ArrayList<>(BackupSettings.unknown(system, "system property"));
    unknown.addAll(BackupSettings.unknown(files, "properties"));
    unknown.addAll(BackupSettings.mistypedEnvironment(System.getenv().keySet()));
    return unknown;
  }

  /** The .env file of the working directory, as the original script read it; absent is fine. */
  private static Map<String, String> dotenv() {
    Map<String, String> entries = new HashMap<>();
    Dotenv.configure()
        .ignoreIfMissing()
        .ignoreIfMalformed()
        .load()
        .entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)
        .forEach(e -> entries.put(e.getKey(), e.getValue()));
    return entries;
  }
}
