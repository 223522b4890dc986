package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds seeded, deterministic accounts of any size. Everything is drawn from one {@link SplittableRandom} in a
 * fixed sequence, so the same seed, count, mode and size range always give the same account.
 */
final class AccountGenerator {

    private static final Instant EPOCH = Instant.parse("2021-01-01T00:00:00Z");
    // Names that trip up naive code: accents, decomposable letters, CJK, emoji, spaces, '+', Greek, Cyrillic.
    private static final String[] STEMS = {
        "photo", "café", "Ünïcödé", "東京タワー", "写真", "🎉 party", "my file", "a+b", "résumé", "Straße",
        "señal", "logo", "banner", "IMG", "holiday snap", "naïve", "Ελληνικά", "Привет", "sample", "report"
    };
    private static final String[] FOLDERS = {
        "products", "Summer Sale", "café", "Ünïcödé", "写真", "📷 shots", "2024", "nested", "archive",
        "team photos", "ドキュメント", "q1+q2", "Brand Assets", "old"
    };
    private static final String[] TAGS = {"summer", "sale", "hero", "archive", "2024", "logo", "brand", "ünïcode"};
    private static final String[] IMAGE_FORMATS = {"jpg", "jpg", "jpg", "png", "png", "gif", "webp", "svg", "pdf"};
    private static final String[] VIDEO_FORMATS = {"mp4", "mp4", "mov", "webm", "mp3"};
    private static final String[] RAW_EXTENSIONS = {"pdf", "txt", "csv", "json", "zip", "docx"};
    private static final String[] REMOTE_TYPES = {"facebook", "fetch", "youtube"};
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final long seed;
    private final FolderMode mode;
    private final int minBytes;
    private final int maxBytes;

    AccountGenerator(long seed, FolderMode mode, int minBytes, int maxBytes) {
        if (minBytes < 0 || maxBytes < minBytes) {
            throw new IllegalArgumentException("need 0 <= minBytes <= maxBytes, got " + minBytes + ".." + maxBytes);
        }
        this.seed = seed;
        this.mode = mode;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
    }

    EmulatorAccount generate(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        EmulatorAccount account = new EmulatorAccount("gen-cloud-" + Long.toUnsignedString(seed, 36),
                String.format("%015d", Math.floorMod(rnd.nextLong(), 1_000_000_000_000_000L)),
                randomId(rnd, 27), mode);
        Instant createdAt = EPOCH;
        for (int i = 0; i < count; i++) {
            // About 5% share the previous created_at, so ordering must fall back to asset_id.
            if (rnd.nextInt(100) >= 5) {
                createdAt = createdAt.plusSeconds(1 + rnd.nextInt(600));
            }
            account.add(asset(i, rnd, createdAt));
        }
        return account;
    }

    private EmulatedAsset asset(int index, SplittableRandom rnd, Instant createdAt) {
        String unique = Integer.toString(index, 36);
        String stem = pick(rnd, STEMS);
        String folder = folder(rnd);
        EmulatedAsset.Builder b = EmulatedAsset.builder()
                .assetId(String.format("%016x%016x", rnd.nextLong(), rnd.nextLong()))
                .createdAt(createdAt)
                .version(createdAt.getEpochSecond() + (rnd.nextInt(10) == 0 ? rnd.nextInt(1_000_000) : 0))
                .generatedContent(rnd.nextLong(), minBytes + rnd.nextInt(maxBytes - minBytes + 1));

        int typeRoll = rnd.nextInt(100);
        if (typeRoll < 3) {
            return remote(b, rnd, index, stem);
        }
        String resourceType = typeRoll < 70 ? "image" : typeRoll < 85 ? "video" : "raw";
        int deliveryRoll = rnd.nextInt(100);
        b.resourceType(resourceType)
                .type(deliveryRoll < 10 ? "private" : deliveryRoll < 20 ? "authenticated" : "upload");

        String name;
        if (mode == FolderMode.FIXED) {
            String base = stem + "_" + unique;
            name = folder.isEmpty() ? base : folder + "/" + base;
        } else {
            // Dynamic-mode public_ids are unrelated to folders; some still carry slashes from old uploads.
            String prefix = rnd.nextInt(10) == 0 ? "legacy/" + pick(rnd, FOLDERS) + "/" : "";
            name = prefix + randomId(rnd, 10) + "_" + unique;
            String displayName = rnd.nextBoolean() ? stem : stem + " " + rnd.nextInt(5);
            b.assetFolder(folder).displayName(displayName);
        }
        switch (resourceType) {
            case "image" -> b.format(pick(rnd, IMAGE_FORMATS));
            case "video" -> b.format(pick(rnd, VIDEO_FORMATS));
            default -> name = rnd.nextInt(5) == 0 ? name : name + "." + pick(rnd, RAW_EXTENSIONS);
        }
        b.publicId(name);
        decorate(b, rnd, stem, index);
        return b.build();
    }

    /** Social and fetch references: image resources without an original. */
    private EmulatedAsset remote(EmulatedAsset.Builder b, SplittableRandom rnd, int index, String stem) {
        String type = pick(rnd, REMOTE_TYPES);
        String unique = Integer.toString(index, 36);
        String publicId = switch (type) {
            case "facebook" -> Long.toString(100_000_000_000L + index * 1000L + rnd.nextInt(1000));
            case "fetch" -> "https://example.com/images/" + randomId(rnd, 8) + "_" + unique + ".jpg";
            default -> randomId(rnd, 8) + unique;
        };
        b.resourceType("image").type(type).format("jpg").publicId(publicId);
        if (mode == FolderMode.DYNAMIC) {
            b.assetFolder("").displayName(publicId);
        }
        decorate(b, rnd, stem, index);
        return b.build();
    }

    private void decorate(EmulatedAsset.Builder b, SplittableRandom rnd, String stem, int index) {
        if (rnd.nextInt(10) < 3) {
            List<String> tags = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                String tag = pick(rnd, TAGS);
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            b.tags(tags);
        }
        if (rnd.nextInt(10) < 2) {
            b.context(Map.of("alt", stem, "caption", "Caption " + index));
        }
        if (rnd.nextInt(10) == 0) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("sku", "SKU-" + index);
            metadata.put("rating", 1 + rnd.nextInt(5));
            b.metadata(metadata);
        }
    }

    /** A folder path 0 to 4 levels deep; about a fifth of the assets sit at the root. */
    private static String folder(SplittableRandom rnd) {
        int depth = rnd.nextInt(10) < 2 ? 0 : 1 + rnd.nextInt(4);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(pick(rnd, FOLDERS));
        }
        return path.toString();
    }

    private static String randomId(SplittableRandom rnd, int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(rnd.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String pick(SplittableRandom rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
