package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the stand-alone emulator. */
class EmulatorMainTest {

  @Test
  void helpPrintsTheUsageOnStdoutAndReturns() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // Returns instead of serving (or exiting), so the JVM ends with status 0.
      EmulatorMain.main(new String[] {"--assets", "10", "--help"});
    } finally {
      System.setOut(original);
    }
    String usage = captured.toString(StandardCharsets.UTF_8);
    assertTrue(usage.startsWith("usage: EmulatorMain"), usage);
    assertEquals(EmulatorMain.usage(), usage);
  }

  @Test
  void usageNamesEveryOptionAndFaultKind() {
    String usage = EmulatorMain.usage();
    Stream.concat(EmulatorMain.OPTIONS.stream(), EmulatorMain.FLAGS.stream())
        .forEach(
            option ->
                assertTrue(usage.contains(option + " ") || usage.contains(option + "\n"), option));
    for (FaultKind kind : FaultKind.values()) {
      assertTrue(usage.contains(kind.name()), kind::name);
    }
  }

  @Test
  void faultOptionsConfigureTheEmulator() {
    try (CloudinaryEmulator emulator =
        EmulatorMain.start(
            EmulatorMain.parse(
                new String[] {
                  "--latency-ms",
                  "3",
                  "--fault-seed",
                  "5",
                  "--delivery-fault-rate",
                  "0.25",
                  "--delivery-faults",
                  "HANG,trickle",
                  "--admin-fault-rate",
                  "0.5",
                  "--admin-faults",
                  "STATUS_503",
                  "--trickle-bytes-per-second",
                  "7",
                  "--endless-bytes-per-second",
                  "9",
                  "--always-fail",
                  "sample=ENDLESS_BODY",
                  "--always-fail",
                  "a=b=c=SHORT_THEN_HANG",
                  "--repeat-list-cursor",
                  "--cycle-list-cursor",
                  "3",
                  "--oversized-list-pages",
                  "100"
                }))) {
      EmulatorFaults faults = emulator.faults();
      assertEquals(Duration.ofMillis(3), faults.deliveryLatency());
      assertEquals(Duration.ofMillis(3), faults.adminLatency());
      assertEquals(7, faults.trickleBytesPerSecond());
      assertEquals(9, faults.endlessBodyBytesPerSecond());
      assertEquals(
          Map.of("sample", FaultKind.ENDLESS_BODY, "a=b=c", FaultKind.SHORT_THEN_HANG),
          faults.alwaysFailing());
      assertTrue(faults.repeatListCursor());
      assertEquals(3, faults.cycleListCursor());
      assertEquals(100, faults.oversizedListPages());
      assertEquals("demo-cloud", emulator.account().cloudName());
    }
  }

  @Test
  void withoutFaultOptionsTheEmulatorIsFaithful() {
    try (CloudinaryEmulator emulator =
        EmulatorMain.start(
            EmulatorMain.parse(
                new String[] {"--assets", "20", "--seed", "3", "--mode", "dynamic"}))) {
      EmulatorFaults faults = emulator.faults();
      assertEquals(20, emulator.account().size());
      assertEquals(FolderMode.DYNAMIC, emulator.account().folderMode());
      assertTrue(faults.alwaysFailing().isEmpty());
      assertFalse(faults.repeatListCursor());
      assertEquals(0, faults.cycleListCursor());
      assertEquals(0, faults.oversizedListPages());
      assertEquals(Duration.ZERO, faults.deliveryLatency());
    }
  }

  @Test
  void staticOriginOptionsGenerateExportAndLog(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("originals");
    Path urls = tmp.resolve("urls.txt");
    Path log = tmp.resolve("requests.tsv");
    try (CloudinaryEmulator emulator =
        EmulatorMain.start(
            EmulatorMain.parse(
                new String[] {
                  "--assets",
                  "60",
                  "--seed",
                  "2",
                  "--types",
                  "upload",
                  "--min-bytes",
                  "20",
                  "--max-bytes",
                  "40",
                  "--delivery-base-url",
                  "http://127.0.0.1:8081",
                  "--export-originals",
                  dir.toString(),
                  "--export-url-list",
                  urls.toString(),
                  "--request-log",
                  log.toString()
                }))) {
      EmulatorAccount account = emulator.account();
      assertEquals(60, account.size());
      assertTrue(account.assets().stream().allMatch(a -> a.type().equals("upload")));
      assertEquals(URI.create("http://127.0.0.1:8081"), emulator.deliveryBaseUrl());
      List<String> lines = Files.readAllLines(urls, StandardCharsets.UTF_8);
      assertEquals(60, lines.size());
      for (String url : lines) {
        assertTrue(url.startsWith("http://127.0.0.1:8081/" + account.cloudName() + "/"), url);
        assertTrue(Files.isRegularFile(dir.resolve(URI.create(url).getPath().substring(1))), url);
      }
      assertEquals(
          List.of("# epoch_ms\tat\tkind\tstatus\tmethod\tpath\tfault"),
          Files.readAllLines(log, StandardCharsets.UTF_8));
    }
    try (CloudinaryEmulator emulator =
        EmulatorMain.start(
            EmulatorMain.parse(
                new String[] {
                  "--assets", "300", "--seed", "2", "--types", "private,Authenticated, youtube"
                }))) {
      assertEquals(
          java.util.Set.of("private", "authenticated", "youtube"),
          emulator.account().assets().stream()
              .map(EmulatedAsset::type)
              .collect(java.util.stream.Collectors.toSet()));
      assertEquals(emulator.baseUri(), emulator.deliveryBaseUrl());
    }
  }

  @Test
  void badOptionsAreRefused() {
    for (String[] args :
        new String[][] {
          {"--nope"},
          {"--port"},
          {"--port", "1", "--port", "2"},
          {"--always-fail", "no-kind"},
          {"--delivery-fault-rate", "0.5", "--delivery-faults", "SLOW"},
          {"--delivery-fault-rate", "0.5"},
          {"--cycle-list-cursor", "1"},
          {"--latency-ms", "x"},
          {"--assets", "5", "--types", "upload,public"},
          {"--assets", "5", "--types", ","},
          {"--types", "upload"},
          {"--demo", "--assets", "5", "--types", "upload"},
          {"--delivery-base-url", "ftp://127.0.0.1/"},
          {"--delivery-base-url", "127.0.0.1:8081"},
          {"--delivery-base-url", "http://h/ x"},
          {"--export-url-list", "/tmp/never-written"}
        }) {
      assertThrows(
          IllegalArgumentException.class,
          () -> EmulatorMain.start(EmulatorMain.parse(args)).close(),
          String.join(" ", args));
    }
  }
}
