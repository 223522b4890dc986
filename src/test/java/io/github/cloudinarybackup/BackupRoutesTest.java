package io.github.cloudinarybackup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import io.github.cloudinarybackup.run.BackupSession;
import io.github.cloudinarybackup.run.RunOutcome;
import io.github.cloudinarybackup.run.RunStoppedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions of route {@code backup-asset} (routes/backup.yaml), in-process with Camel's test
 * kit: the real routes, loaded as the command loads them, with {@link BackupBeans}, the Cloudinary
 * SDK, a MapDB catalog and real files in a temporary folder, against the emulator serving a seeded
 * account on 127.0.0.1.
 *
 * <p>AdviceWith puts a mock endpoint in front of each branch of the route's choice (the step ids
 * the YAML gives them: plan, download, unchanged, move, no-original, report-only, left), so a test
 * sees which asset took which branch; a NotifyBuilder waits for the one-shot run to end. Each test
 * method has its own context (the kit's default, one test instance per method) and so one run with
 * its own settings ({@link RunSettings}); an earlier run it builds on is made with {@link
 * BackupCommand}, the command line's own path.
 *
 * <p>As with the jar, {@code -Dcamel.main.routes-include-pattern=file:/path/to/backup.yaml} runs
 * these tests against edited routes instead of the bundled ones.
 */
class BackupRoutesTest extends CamelMainTestSupport {

  private static final long SEED = 20261201L;
  private static final int ASSETS = 60;

  /** The ids of backup-asset's steps that each begin a branch, and the plan before them. */
  private static final List<String> BRANCHES =
      List.of("plan", "download", "unchanged", "move", "no-original", "report-only", "left");

  private static final String LAYOUT = "{resource_type}/{type}/{public_id}.{ext}";

  /** Settings of the run under test ({@code key=value}), on top of the account and the folder. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface RunSettings {
    String[] value();
  }

  @TempDir Path tmp;

  private final List<String> runSettings;
  private final EmulatorAccount account = EmulatorAccount.generate(SEED, ASSETS, FolderMode.FIXED);
  private final RunOutcome outcome = new RunOutcome();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream logStream = new PrintStream(log, true, UTF_8);
  private CloudinaryEmulator emulator;
  private Path dir;

  /** JUnit makes one instance per test method; its settings are known before the context is. */
  BackupRoutesTest(TestInfo test) {
    runSettings =
        test.getTestMethod()
            .map(m -> m.getAnnotation(RunSettings.class))
            .map(s -> List.of(s.value()))
            .orElse(List.of());
  }

  /**
   * Called by the kit before it creates the context, and so before BackupBeans reads the settings:
   * the emulator, the folder and the settings of this test's run.
   */
  @Override
  protected void setupResources() throws Exception {
    emulator = CloudinaryEmulator.start(account);
    dir = tmp.resolve("backup");
    Properties settings = new Properties();
    settings.setProperty("cloudinary.url", emulator.cloudinaryUrl());
    settings.setProperty("backup.dir", dir.toString());
    for (String setting : runSettings) {
      int eq = setting.indexOf('=');
      settings.setProperty(setting.substring(0, eq), setting.substring(eq + 1));
    }
    // Camel Main sets these as the properties component's overrides before it runs the
    // configuration classes; BackupBeans adds its own (backup.one-shot, ...) to the same object
    camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(settings);
    // not started by the kit: the branches are advised and the NotifyBuilder made first, since
    // the one-shot run begins the moment Camel starts
    testConfiguration().withUseAdviceWith(true);
  }

  @Override
  protected void cleanupResources() {
    if (emulator != null) {
      emulator.close();
    }
  }

  /**
   * The bundled routes, as BackupCommand names them; the rest comes from application.properties.
   */
  @Override
  protected void configure(MainConfigurationProperties configuration) {
    configuration.withRoutesIncludePattern(BackupCommand.BUNDLED_ROUTES);
  }

  /**
   * What BackupCommand binds before Camel configures itself. A run outcome there also tells
   * BackupBeans that someone else reports the exit code: the one-shot run then stops the context
   * and never ends the (test) JVM, and no signal handler is installed.
   */
  @Override
  protected Registry createCamelRegistry() {
    Registry registry = new DefaultRegistry();
    registry.bind(BackupBeans.OUTCOME, outcome);
    registry.bind(BackupBeans.OUT, logStream);
    registry.bind(BackupBeans.ERR, logStream);
    return registry;
  }

  @Test
  void aFirstRunDownloadsEveryOriginalAndCataloguesRemoteReferences() throws Exception {
    Map<String, List<String>> branches = run();

    assertBranches(
        branches,
        Map.of(
            "download",
            ids(EmulatedAsset::hasOriginal),
            "no-original",
            ids(a -> !a.hasOriginal())));
    assertEquals(
        ids(EmulatedAsset::hasOriginal).size(),
        originalsServed(),
        "one download per original: " + log());
    // a public original and one behind a signed download URL, byte for byte and in the catalog
    try (Catalog catalog = Catalog.open(catalogFile())) {
      for (String type : List.of("upload", "authenticated")) {
        EmulatedAsset asset = firstWithType(type);
        AssetRecord record = catalog.get(asset.assetId()).orElseThrow();
        assertEquals(AssetStatus.OK, record.status(), record.toString());
        assertEquals(asset.md5(), record.md5(), record.toString());
        Path file = dir.resolve(record.path());
        assertArrayEquals(asset.content(), Files.readAllBytes(file), file.toString());
        assertEquals(asset.md5(), md5(file), file.toString());
      }
      // a remote reference: catalogued, with no file
      EmulatedAsset remote = firstWithType("youtube");
      assertEquals(
          AssetStatus.NO_ORIGINAL, catalog.get(remote.assetId()).orElseThrow().status(), log());
    }
  }

  @Test
  void aSecondRunOverTheSameAccountFindsEveryOriginalUnchanged() throws Exception {
    backUpWithTheCommand();
    emulator.clearRequests();

    Map<String, List<String>> branches = run();

    assertBranches(
        branches,
        Map.of(
            "unchanged",
            ids(EmulatedAsset::hasOriginal),
            "no-original",
            ids(a -> !a.hasOriginal())));
    assertEquals(0, originalsServed(), "nothing downloaded again: " + log());
  }

  @Test
  @RunSettings("backup.dry-run=true")
  void aDryRunOnlyReportsEveryAsset() throws Exception {
    Map<String, List<String>> branches = run();

    assertBranches(branches, Map.of("report-only", ids(a -> true)));
    assertEquals(0, originalsServed(), "a dry run downloads nothing: " + log());
    assertFalse(Files.exists(dir), "a dry run creates nothing");
    long originals = ids(EmulatedAsset::hasOriginal).size();
    assertTrue(
        log()
            .contains(
                String.format(Locale.ROOT, "a backup would download %,d originals", originals)),
        log());
  }

  @Test
  @RunSettings("backup.layout=" + LAYOUT)
  void aNewLayoutMovesEveryOriginalAlreadyBackedUp() throws Exception {
    backUpWithTheCommand();
    emulator.clearRequests();

    Map<String, List<String>> branches = run();

    assertBranches(
        branches,
        Map.of("move", ids(EmulatedAsset::hasOriginal), "no-original", ids(a -> !a.hasOriginal())));
    assertEquals(0, originalsServed(), "moved, not downloaded again: " + log());
    try (Catalog catalog = Catalog.open(catalogFile())) {
      for (String type : List.of("upload", "private")) {
        EmulatedAsset asset = firstWithType(type);
        AssetRecord record = catalog.get(asset.assetId()).orElseThrow();
        assertTrue(
            record.path().startsWith(asset.resourceType() + "/" + type + "/"), record.path());
        assertEquals(asset.md5(), md5(dir.resolve(record.path())), record.path());
      }
    }
  }

  /**
   * Asked to stop (as Ctrl-C does) when planning the seventh asset: that one and every asset
   * planned after it take the branch left; the six before it were done. One download thread, so
   * "after" is well defined.
   */
  @Test
  @RunSettings({"backup.concurrency=1", "backup.page-size=10"})
  void assetsPlannedOnceTheRunIsStoppingAreLeftForTheNextRun() throws Exception {
    // read while the context was configured, as every setting of the run
    assertEquals(
        1,
        context
            .getRegistry()
            .lookupByNameAndType("downloadPool", ThreadPoolExecutor.class)
            .getMaximumPoolSize());
    int stopAt = 7;
    AtomicInteger planned = new AtomicInteger();
    Map<String, List<String>> branches =
        run(
            route ->
                route
                    .weaveById("plan")
                    .before()
                    .process(
                        exchange -> {
                          if (planned.incrementAndGet() == stopAt) {
                            context
                                .getRegistry()
                                .lookupByNameAndType("backupSession", BackupSession.class)
                                .requestStop(
                                    new RunStoppedException(
                                        "stopped by BackupRoutesTest", ExitCode.ABORTED));
                          }
                        }),
            ExitCode.ABORTED);

    List<String> done = new ArrayList<>(branches.get("download"));
    done.addAll(branches.get("no-original"));
    List<String> left = branches.get("left");
    assertEquals(stopAt - 1, done.size(), "the assets planned before the stop: " + branches);
    assertFalse(left.isEmpty(), branches.toString());
    assertEquals(done.size() + left.size(), branches.get("plan").size(), branches.toString());
    for (String branch : List.of("unchanged", "move", "report-only")) {
      assertEquals(List.of(), branches.get(branch), branch);
    }
    assertTrue(log().contains("stopped by BackupRoutesTest"), log());
    try (Catalog catalog = Catalog.open(catalogFile())) {
      for (String id : branches.get("download")) {
        AssetRecord record = catalog.get(id).orElseThrow();
        assertEquals(AssetStatus.OK, record.status(), record.toString());
        assertEquals(account.byAssetId(id).orElseThrow().md5(), md5(dir.resolve(record.path())));
      }
      for (String id : left) {
        assertTrue(catalog.get(id).isEmpty(), id + " is left for the next run, not recorded");
      }
    }
  }

  /** Runs the one-shot backup the routes start with; a successful one unless said otherwise. */
  private Map<String, List<String>> run() throws Exception {
    return run(route -> {}, ExitCode.OK);
  }

  /**
   * Advises backup-asset (a mock endpoint before each branch, plus {@code more}) and starts Camel;
   * returns once the run has ended and stopped the context, as a one-shot run does: the asset_ids
   * that took each branch, in the order they took it.
   */
  private Map<String, List<String>> run(
      ThrowingConsumer<AdviceWithRouteBuilder, Exception> more, int exitCode) throws Exception {
    assertSame(
        outcome,
        context.getRegistry().lookupByName(BackupBeans.OUTCOME),
        "BackupBeans reports to the test's outcome, so the run does not end the JVM");
    AdviceWith.adviceWith(
        context,
        "backup-asset",
        route -> {
          for (String branch : BRANCHES) {
            route.weaveById(branch).before().to("mock:" + branch);
          }
          more.accept(route);
        });
    // taken now: a stopped context no longer hands out its endpoints
    Map<String, MockEndpoint> mocks = new LinkedHashMap<>();
    for (String branch : BRANCHES) {
      mocks.put(branch, getMockEndpoint("mock:" + branch));
    }
    NotifyBuilder ended = new NotifyBuilder(context).fromRoute("backup-once").whenDone(1).create();

    context.start();

    assertTrue(ended.matches(60, SECONDS), "the run did not end: " + log());
    // backupRun.stop stops the context from a thread of its own once the run has ended
    for (int i = 0; i < 600 && !context.isStopped(); i++) {
      Thread.sleep(100);
    }
    assertTrue(context.isStopped(), "the one-shot run stops Camel: " + log());
    assertTrue(outcome.settled(), log());
    assertEquals(exitCode, outcome.exitCode(), log());
    Map<String, List<String>> branches = new LinkedHashMap<>();
    mocks.forEach(
        (branch, mock) ->
            branches.put(
                branch,
                mock.getReceivedExchanges().stream()
                    .map(e -> (String) e.getMessage().getBody(Map.class).get("asset_id"))
                    .toList()));
    return branches;
  }

  /**
   * Every asset was planned once and took the one branch {@code expected} gives it; the branches it
   * does not name took none.
   */
  private void assertBranches(
      Map<String, List<String>> branches, Map<String, Set<String>> expected) {
    assertTrue(
        ids(EmulatedAsset::hasOriginal).size() > 0 && ids(a -> !a.hasOriginal()).size() > 0,
        "the seeded account holds originals and remote references");
    assertEquals(ids(a -> true), sorted(branches.get("plan")), "every asset planned: " + log());
    for (String branch : BRANCHES.subList(1, BRANCHES.size())) {
      List<String> took = branches.get(branch);
      assertEquals(expected.getOrDefault(branch, Set.of()), sorted(took), branch + ": " + log());
      assertEquals(took.size(), sorted(took).size(), branch + " took an asset twice: " + took);
    }
  }

  /** An earlier backup of the account into the same folder, made by the command line's path. */
  private void backUpWithTheCommand() {
    ByteArrayOutputStream earlier = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(earlier, true, UTF_8);
    int code =
        new BackupCommand(stream, stream)
            .backup(
                Map.of("cloudinary.url", emulator.cloudinaryUrl(), "backup.dir", dir.toString()));
    assertEquals(ExitCode.OK, code, earlier.toString(UTF_8));
    assertEquals(
        ids(EmulatedAsset::hasOriginal).size(),
        originalsServed(),
        "the earlier run downloaded every original: " + earlier.toString(UTF_8));
  }

  private Set<String> ids(Predicate<EmulatedAsset> which) {
    return account.assets().stream()
        .filter(which)
        .map(EmulatedAsset::assetId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> sorted(List<String> ids) {
    return new TreeSet<>(ids);
  }

  /** The first asset of the delivery type by asset_id (the account is seeded: always the same). */
  private EmulatedAsset firstWithType(String type) {
    EmulatedAsset asset =
        account.assets().stream()
            .filter(a -> a.type().equals(type))
            .min(Comparator.comparing(EmulatedAsset::assetId))
            .orElse(null);
    assertNotNull(asset, "the seeded account has a " + type + " asset");
    return asset;
  }

  /** Originals the emulator served with 200: delivery URLs and the signed download endpoint. */
  private long originalsServed() {
    return emulator.requests().stream()
        .filter(
            r ->
                (r.kind() == RecordedRequest.Kind.DELIVERY
                        || r.kind() == RecordedRequest.Kind.DOWNLOAD)
                    && r.status() == 200)
        .count();
  }

  private Path catalogFile() {
    return dir.resolve(".cloudinary-backup/catalog.db");
  }

  private String log() {
    return log.toString(UTF_8);
  }

  private static String md5(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
  }
}
