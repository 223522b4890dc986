package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
                .forEach(option -> assertTrue(usage.contains(option + " ") || usage.contains(option + "\n"), option));
        for (FaultKind kind : FaultKind.values()) {
            assertTrue(usage.contains(kind.name()), kind::name);
        }
    }

    @Test
    void faultOptionsConfigureTheEmulator() {
        try (CloudinaryEmulator emulator = EmulatorMain.start(EmulatorMain.parse(new String[] {
                "--latency-ms", "3", "--fault-seed", "5",
                "--delivery-fault-rate", "0.25", "--delivery-faults", "HANG,trickle",
                "--admin-fault-rate", "0.5", "--admin-faults", "STATUS_503",
                "--trickle-bytes-per-second", "7", "--endless-bytes-per-second", "9",
                "--always-fail", "sample=ENDLESS_BODY", "--always-fail", "a=b=c=SHORT_THEN_HANG",
                "--repeat-list-cursor", "--cycle-list-cursor", "3", "--oversized-list-pages", "100"}))) {
            EmulatorFaults faults = emulator.faults();
            assertEquals(Duration.ofMillis(3), faults.deliveryLatency());
            assertEquals(Duration.ofMillis(3), faults.adminLatency());
            assertEquals(7, faults.trickleBytesPerSecond());
            assertEquals(9, faults.endlessBodyBytesPerSecond());
            assertEquals(Map.of("sample", FaultKind.ENDLESS_BODY, "a=b=c", FaultKind.SHORT_THEN_HANG),
                    faults.alwaysFailing());
            assertTrue(faults.repeatListCursor());
            assertEquals(3, faults.cycleListCursor());
            assertEquals(100, faults.oversizedListPages());
            assertEquals("demo-cloud", emulator.account().cloudName());
        }
    }

    @Test
    void withoutFaultOptionsTheEmulatorIsFaithful() {
        try (CloudinaryEmulator emulator = EmulatorMain.start(EmulatorMain.parse(
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
    void badOptionsAreRefused() {
        for (String[] args : new String[][] {
                {"--nope"}, {"--port"}, {"--port", "1", "--port", "2"}, {"--always-fail", "no-kind"},
                {"--delivery-fault-rate", "0.5", "--delivery-faults", "SLOW"},
                {"--delivery-fault-rate", "0.5"}, {"--cycle-list-cursor", "1"}, {"--latency-ms", "x"}}) {
            assertThrows(IllegalArgumentException.class,
                    () -> EmulatorMain.start(EmulatorMain.parse(args)).close(), String.join(" ", args));
        }
    }
}
