package io.github.cloudinarybackup.emulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator in its own JVM until killed and prints its CLOUDINARY_URL as the only line on stdout.
 *
 * <pre>
 * java -cp target/cloudinary-backup.jar io.github.cloudinarybackup.emulator.EmulatorMain \
 *     [--demo | --assets N --seed S --mode fixed|dynamic --min-bytes N --max-bytes N] [--port P]
 *     [--latency-ms MS] [--rate-limit N] [--rate-window-seconds S]
 * </pre>
 * Without {@code --assets} it serves the demo account. {@code --latency-ms} delays every response, like a network.
 */
public final class EmulatorMain {

    private static final Set<String> OPTIONS = Set.of("--port", "--assets", "--seed", "--mode", "--latency-ms",
            "--min-bytes", "--max-bytes", "--rate-limit", "--rate-window-seconds");

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        CloudinaryEmulator emulator;
        try {
            emulator = start(parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: EmulatorMain [--demo | --assets N --seed S --mode fixed|dynamic"
                    + " --min-bytes N --max-bytes N] [--port P] [--latency-ms MS] [--rate-limit N]"
                    + " [--rate-window-seconds S]");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        EmulatorAccount account = emulator.account();
        System.err.printf("Cloudinary emulator: %d assets, %s folder mode, cloud %s, on %s%n",
                account.size(), account.folderMode().wireValue(), account.cloudName(), emulator.baseUri());
        System.out.println(emulator.cloudinaryUrl());
        System.out.flush();
        stopped.await();
    }

    private static CloudinaryEmulator start(Map<String, String> options) {
        EmulatorAccount account = options.containsKey("--assets") && !options.containsKey("--demo")
                ? EmulatorAccount.generate(
                        Long.parseLong(options.getOrDefault("--seed", "1")),
                        Integer.parseInt(options.get("--assets")),
                        FolderMode.fromWire(options.getOrDefault("--mode", "fixed")),
                        Integer.parseInt(options.getOrDefault("--min-bytes", "64")),
                        Integer.parseInt(options.getOrDefault("--max-bytes", Integer.toString(16 * 1024))))
                : EmulatorAccount.demo();
        CloudinaryEmulator emulator = CloudinaryEmulator.start(account,
                Integer.parseInt(options.getOrDefault("--port", "0")));
        if (options.containsKey("--latency-ms")) {
            Duration latency = Duration.ofMillis(Long.parseLong(options.get("--latency-ms")));
            emulator.faults().adminLatency(latency).deliveryLatency(latency);
        }
        if (options.containsKey("--rate-limit")) {
            emulator.rateLimiter().limit(Integer.parseInt(options.get("--rate-limit")));
        }
        if (options.containsKey("--rate-window-seconds")) {
            emulator.rateLimiter().window(Duration.ofSeconds(Long.parseLong(options.get("--rate-window-seconds"))));
        }
        return emulator;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--demo")) {
                options.put(arg, "true");
            } else if (OPTIONS.contains(arg) && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option: " + arg);
            }
        }
        return options;
    }
}
