package io.github.cloudinarybackup.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the emulator in its own JVM until killed and prints its CLOUDINARY_URL as the only line on
 * stdout.
 *
 * <pre>
 * java -cp target/cloudinary-backup.jar io.github.cloudinarybackup.emulator.EmulatorMain [options]
 * </pre>
 *
 * See {@link #usage()} (or {@code --help}) for the options: the account, the port, latency, the
 * rate limit, and the faults of {@link EmulatorFaults}. Without {@code --assets} it serves the demo
 * account.
 */
public final class EmulatorMain {

  /** Options that take a value; each may be given once, except {@code --always-fail}. */
  static final Set<String> OPTIONS =
      Set.of(
          "--port",
          "--assets",
          "--seed",
          "--mode",
          "--latency-ms",
          "--min-bytes",
          "--max-bytes",
          "--rate-limit",
          "--rate-window-seconds",
          "--fault-seed",
          "--admin-fault-rate",
          "--admin-faults",
          "--delivery-fault-rate",
          "--delivery-faults",
          "--trickle-bytes-per-second",
          "--endless-bytes-per-second",
          "--always-fail",
          "--cycle-list-cursor",
          "--oversized-list-pages",
          "--types",
          "--delivery-base-url",
          "--export-originals",
          "--export-url-list",
          "--request-log");

  private static final List<String> TYPES_IN_ORDER =
      List.of("upload", "private", "authenticated", "facebook", "fetch", "youtube");

  /** Options without a value. */
  static final Set<String> FLAGS = Set.of("--demo", "--help", "--repeat-list-cursor");

  private EmulatorMain() {}

  static String usage() {
    return """
                usage: EmulatorMain [options]
                Serves one Cloudinary account on 127.0.0.1 until killed; prints its CLOUDINARY_URL on stdout.

                Account:
                  --demo                          the built-in demo account (the default without --assets)
                  --assets N                      a generated account of N assets instead
                  --seed S                        seed of the generated account (default 1)
                  --mode fixed|dynamic            folder mode of the generated account (default fixed)
                  --min-bytes N --max-bytes N     size range of generated originals (default 64 and 16384)
                  --types T[,T...]                delivery types of the generated account (default all:
                                                  %s);
                                                  e.g. upload: every original public at its delivery URL
                Static origin:
                  --delivery-base-url URL         url/secure_url in Admin API answers point at URL (e.g. a static
                                                  server at http://127.0.0.1:8081) instead of the emulator; the
                                                  Admin API and signed /download URLs stay on the emulator
                  --export-originals DIR          write the originals of the upload assets under DIR, laid out as
                                                  their delivery URL paths after the base (decoded), e.g.
                                                  DIR/<cloud>/<rt>/upload/v<version>/<public_id>.<format>; done
                                                  before the CLOUDINARY_URL is printed. Needs a UTF-8 locale
                  --export-url-list FILE          with --export-originals: their delivery URLs, one a line
                Server:
                  --port P                        port on 127.0.0.1 (default 0: a free one, see the URL)
                  --latency-ms MS                 every response leaves MS ms after its request arrived
                  --rate-limit N                  Admin API calls allowed per window (default 500)
                  --rate-window-seconds S         length of the rate-limit window (default 3600); windows
                                                  start at multiples of S seconds since the epoch
                  --request-log FILE              write a line per request to FILE (replaced), as it is answered:
                                                  arrival in epoch ms and ISO-8601, kind (ADMIN, DOWNLOAD,
                                                  DELIVERY, OTHER), status sent, method, raw path, fault or -
                                                  (tab-separated; a first line starting with # names them)
                Faults (see EmulatorFaults and FaultKind):
                  --fault-seed S                  seed of the random fault sequence (default 0)
                  --admin-fault-rate R            fail this fraction (0..1) of Admin API calls, with --admin-faults
                  --admin-faults K[,K...]         the FaultKinds to pick from for --admin-fault-rate
                  --delivery-fault-rate R         fail this fraction of downloads and deliveries, with
                                                  --delivery-faults
                  --delivery-faults K[,K...]      the FaultKinds to pick from for --delivery-fault-rate
                  --trickle-bytes-per-second N    pace of TRICKLE bodies (default 1)
                  --endless-bytes-per-second N    pace of ENDLESS_BODY bodies (default 0: as fast as read)
                  --always-fail PUBLIC_ID=KIND    every download and delivery of that public_id fails with KIND
                                                  (repeatable; split at the last '=')
                  --repeat-list-cursor            listings answer each next_cursor with that same cursor
                  --cycle-list-cursor K           page K of a listing points back to page 2 (K >= 2)
                  --oversized-list-pages N        listings ignore max_results, up to N resources a page
                  FaultKinds: %s
                Other:
                  --help                          print this help and exit
                """
        .formatted(
            String.join(",", TYPES_IN_ORDER),
            Arrays.stream(FaultKind.values()).map(Enum::name).collect(Collectors.joining(", ")));
  }

  public static void main(String[] args) throws InterruptedException {
    CloudinaryEmulator emulator;
    try {
      Map<String, List<String>> options = parse(args);
      if (options.containsKey("--help")) {
        System.out.print(usage());
        System.out.flush();
        return;
      }
      emulator = start(options);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(usage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "emulator-shutdown"));
    EmulatorAccount account = emulator.account();
    System.err.printf(
        "Cloudinary emulator: %d assets, %s folder mode, cloud %s, on %s%s%n",
        account.size(),
        account.folderMode().wireValue(),
        account.cloudName(),
        emulator.baseUri(),
        emulator.deliveryBaseUrl().equals(emulator.baseUri())
            ? ""
            : "; delivery URLs on " + emulator.deliveryBaseUrl());
    System.out.println(emulator.cloudinaryUrl());
    System.out.flush();
    stopped.await();
  }

  /**
   * Starts an emulator as the options say.
   *
   * @throws IllegalArgumentException for an unknown option, a missing or bad value
   */
  static CloudinaryEmulator start(Map<String, List<String>> options) {
    boolean generated = options.containsKey("--assets") && !options.containsKey("--demo");
    if (options.containsKey("--types") && !generated) {
      throw new IllegalArgumentException("--types needs --assets (a generated account)");
    }
    if (options.containsKey("--export-url-list") && !options.containsKey("--export-originals")) {
      throw new IllegalArgumentException("--export-url-list needs --export-originals");
    }
    EmulatorAccount account =
        generated
            ? EmulatorAccount.generate(
                longValue(options, "--seed", 1),
                (int) longValue(options, "--assets", 0),
                FolderMode.fromWire(first(options, "--mode", "fixed")),
                (int) longValue(options, "--min-bytes", 64),
                (int) longValue(options, "--max-bytes", 16 * 1024),
                types(options))
            : EmulatorAccount.demo();
    // Checked before the server starts, so that a bad value does not leave a server running.
    FaultKind[] adminKinds = kinds(options, "--admin-faults");
    FaultKind[] deliveryKinds = kinds(options, "--delivery-faults");
    Map<String, FaultKind> alwaysFail = alwaysFail(options);
    URI deliveryBase = uri(options, "--delivery-base-url");
    CloudinaryEmulator emulator =
        CloudinaryEmulator.start(account, (int) longValue(options, "--port", 0));
    try {
      configure(emulator, options, adminKinds, deliveryKinds, alwaysFail);
      emulator.deliveryBaseUrl(deliveryBase);
      if (options.containsKey("--request-log")) {
        emulator.requestLog(Path.of(first(options, "--request-log", null)));
      }
      if (options.containsKey("--export-originals")) {
        Path dir = Path.of(first(options, "--export-originals", null));
        String list = first(options, "--export-url-list", null);
        OriginalsExport.Result result =
            emulator.exportOriginals(dir, list == null ? null : Path.of(list));
        System.err.printf(
            "Cloudinary emulator: wrote %d upload originals (%.1f MB) under %s%n",
            result.files(), result.bytes() / 1e6, dir.toAbsolutePath());
      }
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  /** Every type unless --types names some; an unknown one is refused by the generator. */
  private static Set<String> types(Map<String, List<String>> options) {
    String value = first(options, "--types", null);
    if (value == null) {
      return EmulatorAccount.GENERATED_TYPES;
    }
    Set<String> types = new LinkedHashSet<>();
    for (String type : value.split(",")) {
      if (!type.isBlank()) {
        types.add(type.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (types.isEmpty() || !EmulatorAccount.GENERATED_TYPES.containsAll(types)) {
      throw new IllegalArgumentException(
          "--types takes one or more of " + String.join(",", TYPES_IN_ORDER) + ": " + value);
    }
    return types;
  }

  private static URI uri(Map<String, List<String>> options, String name) {
    String value = first(options, name, null);
    if (value == null) {
      return null;
    }
    try {
      // CloudinaryEmulator.deliveryBaseUrl says which URLs it takes.
      return new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL for " + name + ": " + value);
    }
  }

  private static void configure(
      CloudinaryEmulator emulator,
      Map<String, List<String>> options,
      FaultKind[] adminKinds,
      FaultKind[] deliveryKinds,
      Map<String, FaultKind> alwaysFail) {
    EmulatorFaults faults = emulator.faults();
    if (options.containsKey("--latency-ms")) {
      Duration latency = Duration.ofMillis(longValue(options, "--latency-ms", 0));
      faults.adminLatency(latency).deliveryLatency(latency);
    }
    if (options.containsKey("--rate-limit")) {
      emulator.rateLimiter().limit((int) longValue(options, "--rate-limit", 500));
    }
    if (options.containsKey("--rate-window-seconds")) {
      emulator
          .rateLimiter()
          .window(Duration.ofSeconds(longValue(options, "--rate-window-seconds", 3600)));
    }
    faults.seed(longValue(options, "--fault-seed", 0));
    if (options.containsKey("--admin-fault-rate")) {
      faults.adminFaultRate(doubleValue(options, "--admin-fault-rate"), adminKinds);
    }
    if (options.containsKey("--delivery-fault-rate")) {
      faults.deliveryFaultRate(doubleValue(options, "--delivery-fault-rate"), deliveryKinds);
    }
    if (options.containsKey("--trickle-bytes-per-second")) {
      faults.trickleBytesPerSecond((int) longValue(options, "--trickle-bytes-per-second", 1));
    }
    if (options.containsKey("--endless-bytes-per-second")) {
      faults.endlessBodyBytesPerSecond((int) longValue(options, "--endless-bytes-per-second", 0));
    }
    alwaysFail.forEach(faults::alwaysFail);
    faults.repeatListCursor(options.containsKey("--repeat-list-cursor"));
    if (options.containsKey("--cycle-list-cursor")) {
      faults.cycleListCursor((int) longValue(options, "--cycle-list-cursor", 0));
    }
    if (options.containsKey("--oversized-list-pages")) {
      faults.oversizedListPages((int) longValue(options, "--oversized-list-pages", 0));
    }
  }

  static Map<String, List<String>> parse(String[] args) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (FLAGS.contains(arg)) {
        options.put(arg, List.of());
      } else if (OPTIONS.contains(arg) && i + 1 < args.length) {
        List<String> values = options.computeIfAbsent(arg, k -> new ArrayList<>());
        if (!values.isEmpty() && !arg.equals("--always-fail")) {
          throw new IllegalArgumentException("option given twice: " + arg);
        }
        values.add(args[++i]);
      } else {
        throw new IllegalArgumentException("unknown or incomplete option: " + arg);
      }
    }
    return options;
  }

  private static String first(Map<String, List<String>> options, String name, String defaultValue) {
    List<String> values = options.get(name);
    return values == null || values.isEmpty() ? defaultValue : values.get(0);
  }

  private static long longValue(Map<String, List<String>> options, String name, long defaultValue) {
    String value = first(options, name, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number for " + name + ": " + value);
    }
  }

  private static double doubleValue(Map<String, List<String>> options, String name) {
    String value = first(options, name, null);
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number for " + name + ": " + value);
    }
  }

  private static FaultKind[] kinds(Map<String, List<String>> options, String name) {
    String value = first(options, name, null);
    if (value == null) {
      return new FaultKind[0];
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(k -> kind(k, name))
        .toArray(FaultKind[]::new);
  }

  private static FaultKind kind(String value, String option) {
    try {
      return FaultKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown FaultKind for " + option + ": " + value);
    }
  }

  private static Map<String, FaultKind> alwaysFail(Map<String, List<String>> options) {
    Map<String, FaultKind> result = new LinkedHashMap<>();
    for (String value : options.getOrDefault("--always-fail", List.of())) {
      int eq = value.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--always-fail needs PUBLIC_ID=KIND: " + value);
      }
      result.put(value.substring(0, eq), kind(value.substring(eq + 1), "--always-fail"));
    }
    return result;
  }
}
