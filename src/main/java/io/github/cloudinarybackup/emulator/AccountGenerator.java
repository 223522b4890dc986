package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds seeded, deterministic accounts of any size. Everything is drawn from one {@link
 * SplittableRandom} in a fixed sequence (and, in an account without remote types, from one seeded
 * per replaced asset), so the same seed, count, mode, size range and delivery types always give the
 * same account.
 *
 * <p>By default an account mixes every delivery type: about 3% remote references (facebook, fetch,
 * youtube), and of the assets with an original 10% private, 10% authenticated and 80% upload. The
 * types can be restricted, e.g. to {@code upload} only, so that every original is public at its
 * delivery URL. Restricting the stored types, with every remote type or none, keeps the default
 * account's draws: an asset of a stored type not allowed becomes one of an allowed stored type
 * (picked by the same draw), and where the default account has a remote asset but no remote type is
 * allowed, the remote asset's draws are still made and the asset in its place is drawn from a
 * generator of its own. So an upload-only account has every asset with an original of the default
 * account with the same seed, unchanged but for private and authenticated ones becoming upload
 * ones, and about 3% other assets. The default (every type) is the account it always was.
 */
final class AccountGenerator {

  private static final Instant EPOCH = Instant.parse("2021-01-01T00:00:00Z");
  // Names that trip up naive code: accents, decomposable letters, CJK, emoji, spaces, '+', Greek,
  // Cyrillic.
  private static final String[] STEMS = {
    "photo", "café", "Ünïcödé", "東京タワー", "写真", "🎉 party", "my file", "a+b", "résumé", "Straße",
    "señal", "logo", "banner", "IMG", "holiday snap", "naïve", "Ελληνικά", "Привет", "sample",
        "report"
  };
  private static final String[] FOLDERS = {
    "products",
    "Summer Sale",
    "café",
    "Ünïcödé",
    "写真",
    "📷 shots",
    "2024",
    "nested",
    "archive",
    "team photos",
    "ドキュメント",
    "q1+q2",
    "Brand Assets",
    "old"
  };
  private static final String[] TAGS = {
    "summer", "sale", "hero", "archive", "2024", "logo", "brand", "ünïcode"
  };
  private static final String[] IMAGE_FORMATS = {
    "jpg", "jpg", "jpg", "png", "png", "gif", "webp", "svg", "pdf"
  };
  private static final String[] VIDEO_FORMATS = {"mp4", "mp4", "mov", "webm", "mp3"};
  private static final String[] RAW_EXTENSIONS = {"pdf", "txt", "csv", "json", "zip", "docx"};
  private static final String[] REMOTE_TYPES = {"facebook", "fetch", "youtube"};

  /** The delivery types that store an original, in the order a restricted draw picks from. */
  private static final List<String> STORED_TYPES = List.of("upload", "private", "authenticated");

  /** Every delivery type a generated account can hold. */
  static final Set<String> ALL_TYPES =
      Set.of("upload", "private", "authenticated", "facebook", "fetch", "youtube");

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final long seed;
  private final FolderMode mode;
  private final int minBytes;
  private final int maxBytes;

  /** The allowed types with an original, in {@link #STORED_TYPES} order; may be empty. */
  private final List<String> storedTypes;

  /**
   * The allowed remote types; {@link #REMOTE_TYPES} itself when all are allowed, so that draws stay
   * the same.
   */
  private final String[] remoteTypes;

  AccountGenerator(long seed, FolderMode mode, int minBytes, int maxBytes) {
    this(seed, mode, minBytes, maxBytes, ALL_TYPES);
  }

  /**
   * @param types the delivery types the account may hold, a non-empty subset of {@link #ALL_TYPES}
   * @throws IllegalArgumentException for a bad size range, no type or an unknown type
   */
  AccountGenerator(long seed, FolderMode mode, int minBytes, int maxBytes, Set<String> types) {
    if (minBytes < 0 || maxBytes < minBytes) {
      throw new IllegalArgumentException(
          "need 0 <= minBytes <= maxBytes, got " + minBytes + ".." + maxBytes);
    }
    if (types.isEmpty() || !ALL_TYPES.containsAll(types)) {
      throw new IllegalArgumentException(
          "types must be one or more of "
              + String.join(
                  ", ",
                  List.of("upload", "private", "authenticated", "facebook", "fetch", "youtube"))
              + ", got "
              + types);
    }
    this.seed = seed;
    this.mode = mode;
    this.minBytes = minBytes;
    this.maxBytes = maxBytes;
    this.storedTypes = STORED_TYPES.stream().filter(types::contains).toList();
    List<String> remote = List.of(REMOTE_TYPES).stream().filter(types::contains).toList();
    this.remoteTypes =
        remote.size() == REMOTE_TYPES.length ? REMOTE_TYPES : remote.toArray(String[]::new);
  }

  EmulatorAccount generate(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    EmulatorAccount account =
        new EmulatorAccount(
            "gen-cloud-" + Long.toUnsignedString(seed, 36),
            String.format("%015d", Math.floorMod(rnd.nextLong(), 1_000_000_000_000_000L)),
            randomId(rnd, 27),
            mode);
    Instant createdAt = EPOCH;
    for (int i = 0; i < count; i++) {
      // About 5% share the previous created_at, so ordering must fall back to asset_id.
      if (rnd.nextInt(100) >= 5) {
        createdAt = createdAt.plusSeconds(1 + rnd.nextInt(600));
      }
      account.add(asset(i, rnd, createdAt, false));
    }
    if (account.assets().stream().anyMatch(a -> !a.metadata().isEmpty())) {
      // the fields the generated values belong to: an upload with them needs them defined
      account
          .configuration()
          .metadataField(
              Map.of("type", "string", "external_id", "sku", "label", "SKU", "mandatory", false))
          .metadataField(
              Map.of(
                  "type",
                  "integer",
                  "external_id",
                  "rating",
                  "label",
                  "Rating",
                  "mandatory",
                  false));
    }
    return account;
  }

  /**
   * @param replacing whether this asset stands in for a remote one of the default account (no
   *     remote type allowed)
   */
  private EmulatedAsset asset(
      int index, SplittableRandom rnd, Instant createdAt, boolean replacing) {
    String unique = Integer.toString(index, 36);
    String stem = pick(rnd, STEMS);
    String folder = folder(rnd);
    EmulatedAsset.Builder b =
        EmulatedAsset.builder()
            .assetId(String.format("%016x%016x", rnd.nextLong(), rnd.nextLong()))
            .createdAt(createdAt)
            .version(
                createdAt.getEpochSecond() + (rnd.nextInt(10) == 0 ? rnd.nextInt(1_000_000) : 0))
            .generatedContent(rnd.nextLong(), minBytes + rnd.nextInt(maxBytes - minBytes + 1));

    int typeRoll = rnd.nextInt(100);
    if (typeRoll < 3 && remoteTypes.length > 0 || storedTypes.isEmpty()) {
      return remote(b, rnd, index, stem, remoteTypes);
    }
    if (typeRoll < 3 && !replacing) {
      // No remote type allowed: the default account's draws for its remote asset, so that the
      // assets after
      // this one stay the same, and an asset with an original from a generator of its own in its
      // place (whose
      // own roll under 3 simply makes it an image).
      remote(EmulatedAsset.builder(), rnd, index, stem, REMOTE_TYPES);
      return asset(index, new SplittableRandom(replacementSeed(index)), createdAt, true);
    }
    String resourceType = typeRoll < 70 ? "image" : typeRoll < 85 ? "video" : "raw";
    int deliveryRoll = rnd.nextInt(100);
    String type = deliveryRoll < 10 ? "private" : deliveryRoll < 20 ? "authenticated" : "upload";
    if (!storedTypes.contains(type)) {
      type = storedTypes.get(deliveryRoll % storedTypes.size());
    }
    b.resourceType(resourceType).type(type);

    String name;
    if (mode == FolderMode.FIXED) {
      String base = stem + "_" + unique;
      name = folder.isEmpty() ? base : folder + "/" + base;
    } else {
      // Dynamic-mode public_ids are unrelated to folders; some still carry slashes from old
      // uploads.
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
  private EmulatedAsset remote(
      EmulatedAsset.Builder b, SplittableRandom rnd, int index, String stem, String[] types) {
    String type = pick(rnd, types);
    String unique = Integer.toString(index, 36);
    String publicId =
        switch (type) {
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

  /**
   * The seed of a replaced asset's own generator: MurmurHash3's finalizer of the account seed and
   * the index, so that its sequence is unrelated to the account's (a seed near the account's would
   * repeat its draws, asset_ids included).
   */
  private long replacementSeed(int index) {
    long h = seed + 0x632BE59BD9B4E019L * (index + 1L);
    h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
    h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
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
