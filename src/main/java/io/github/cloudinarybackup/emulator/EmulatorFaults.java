package io.github.cloudinarybackup.emulator;

import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Latency and fault injection, changeable while the emulator runs. Random faults come from one seeded generator, so
 * a sequential client sees the same faults on every run. Scheduled faults ({@link #failNext}) take precedence.
 * "Delivery" settings apply to both the download endpoint and delivery URLs.
 */
public final class EmulatorFaults {

    private Duration adminLatency = Duration.ZERO;
    private Duration deliveryLatency = Duration.ZERO;
    private double adminRate;
    private List<FaultKind> adminKinds = List.of();
    private double deliveryRate;
    private List<FaultKind> deliveryKinds = List.of();
    private final Map<Kind, Deque<FaultKind>> scheduled = new EnumMap<>(Kind.class);
    private Random random = new Random(0);
    private boolean htmlUnauthorized;

    public synchronized EmulatorFaults adminLatency(Duration latency) {
        this.adminLatency = requireNonNegative(latency);
        return this;
    }

    /** Latency of the download endpoint and of delivery URLs. */
    public synchronized EmulatorFaults deliveryLatency(Duration latency) {
        this.deliveryLatency = requireNonNegative(latency);
        return this;
    }

    /** Fails this fraction of Admin calls with one of {@code kinds}, chosen at random. A rate of 0 turns it off. */
    public synchronized EmulatorFaults adminFaultRate(double rate, FaultKind... kinds) {
        this.adminKinds = requireKinds(rate, kinds, Kind.ADMIN);
        this.adminRate = rate;
        return this;
    }

    /** Fails this fraction of downloads and deliveries with one of {@code kinds}. {@code MALFORMED_JSON} is refused. */
    public synchronized EmulatorFaults deliveryFaultRate(double rate, FaultKind... kinds) {
        this.deliveryKinds = requireKinds(rate, kinds, Kind.DELIVERY);
        this.deliveryRate = rate;
        return this;
    }

    /** Fails the next {@code n} requests of {@code kind} (ADMIN, DOWNLOAD or DELIVERY) with {@code fault}. */
    public synchronized EmulatorFaults failNext(Kind kind, int n, FaultKind fault) {
        Objects.requireNonNull(fault, "fault");
        if (kind == Kind.OTHER || n < 0) {
            throw new IllegalArgumentException("failNext needs ADMIN, DOWNLOAD or DELIVERY and n >= 0");
        }
        requireApplicable(fault, kind);
        Deque<FaultKind> queue = scheduled.computeIfAbsent(kind, k -> new ArrayDeque<>());
        for (int i = 0; i < n; i++) {
            queue.add(fault);
        }
        return this;
    }

    /** Authentication failures of the Admin API answer with Cloudinary's HTML 401 page instead of JSON. */
    public synchronized EmulatorFaults htmlUnauthorized(boolean value) {
        this.htmlUnauthorized = value;
        return this;
    }

    /** Restarts the random fault sequence from this seed. */
    public synchronized EmulatorFaults seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** Removes all latency and faults and restarts the random sequence from seed 0. */
    public synchronized EmulatorFaults clear() {
        adminLatency = Duration.ZERO;
        deliveryLatency = Duration.ZERO;
        adminRate = 0;
        deliveryRate = 0;
        adminKinds = List.of();
        deliveryKinds = List.of();
        scheduled.clear();
        htmlUnauthorized = false;
        random = new Random(0);
        return this;
    }

    public synchronized Duration adminLatency() { return adminLatency; }
    public synchronized Duration deliveryLatency() { return deliveryLatency; }
    public synchronized boolean htmlUnauthorized() { return htmlUnauthorized; }

    synchronized Duration latencyFor(Kind kind) {
        return switch (kind) {
            case ADMIN -> adminLatency;
            case DOWNLOAD, DELIVERY -> deliveryLatency;
            case OTHER -> Duration.ZERO;
        };
    }

    /** The fault to inject into this request, or null. */
    synchronized FaultKind nextFault(Kind kind) {
        Deque<FaultKind> queue = scheduled.get(kind);
        if (queue != null && !queue.isEmpty()) {
            return queue.poll();
        }
        double rate = kind == Kind.ADMIN ? adminRate : kind == Kind.OTHER ? 0 : deliveryRate;
        List<FaultKind> kinds = kind == Kind.ADMIN ? adminKinds : deliveryKinds;
        if (rate <= 0 || random.nextDouble() >= rate) {
            return null;
        }
        return kinds.get(random.nextInt(kinds.size()));
    }

    private static List<FaultKind> requireKinds(double rate, FaultKind[] kinds, Kind target) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be within [0, 1]: " + rate);
        }
        if (rate > 0 && kinds.length == 0) {
            throw new IllegalArgumentException("name at least one FaultKind");
        }
        for (FaultKind kind : kinds) {
            requireApplicable(Objects.requireNonNull(kind, "kind"), target);
        }
        return List.of(kinds);
    }

    private static void requireApplicable(FaultKind fault, Kind kind) {
        if (fault == FaultKind.MALFORMED_JSON && kind != Kind.ADMIN) {
            throw new IllegalArgumentException("MALFORMED_JSON applies to the Admin API only");
        }
    }

    private static Duration requireNonNegative(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0: " + latency);
        }
        return latency;
    }
}
