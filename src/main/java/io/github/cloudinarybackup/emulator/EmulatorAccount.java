package io.github.cloudinarybackup.emulator;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A mutable, thread-safe Cloudinary account: cloud name, credentials, folder mode and assets keyed
 * by asset_id. Tests may change it while the emulator serves it; each request sees the state at the
 * time it runs.
 */
public final class EmulatorAccount {

  /**
   * The delivery types a generated account holds by default: upload, private, authenticated,
   * facebook, fetch, youtube.
   */
  public static final Set<String> GENERATED_TYPES = AccountGenerator.ALL_TYPES;

  private final String cloudName;
  private final String apiKey;
  private final String apiSecret;
  private final Instant createdAt;
  private final AssetStore store = new AssetStore();
  private final AccountConfiguration configuration = new AccountConfiguration();
  private volatile FolderMode folderMode;

  public EmulatorAccount(String cloudName, String apiKey, String apiSecret, FolderMode mode) {
    this(cloudName, apiKey, apiSecret, mode, Instant.parse("2019-03-01T09:30:00Z"));
  }

  /**
   * @param createdAt what {@code GET config} reports as the account's creation time
   */
  public EmulatorAccount(
      String cloudName, String apiKey, String apiSecret, FolderMode mode, Instant createdAt) {
    this.cloudName = requireText(cloudName, "cloudName");
    this.apiKey = requireText(apiKey, "apiKey");
    this.apiSecret = requireText(apiSecret, "apiSecret");
    this.folderMode = Objects.requireNonNull(mode, "mode");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * A seeded, deterministic account (images, videos, raw files; upload, private, authenticated and
   * remote types; nested unicode folders) with content of 64 B to 16 KiB per asset. Same arguments
   * give an identical account.
   */
  public static EmulatorAccount generate(long seed, int count, FolderMode mode) {
    return generate(seed, count, mode, 64, 16 * 1024);
  }

  /**
   * As {@link #generate(long, int, FolderMode)} with content sizes drawn from {@code [minBytes,
   * maxBytes]}.
   */
  public static EmulatorAccount generate(
      long seed, int count, FolderMode mode, int minBytes, int maxBytes) {
    return new AccountGenerator(seed, mode, minBytes, maxBytes).generate(count);
  }

  /**
   * As {@link #generate(long, int, FolderMode, int, int)} with only the given delivery types, some
   * of {@link #GENERATED_TYPES}; e.g. {@code Set.of("upload")} for an account whose originals are
   * all public at their delivery URLs. With every type it is the same account as without the
   * argument.
   *
   * @throws IllegalArgumentException for an empty set or an unknown type
   */
  public static EmulatorAccount generate(
      long seed, int count, FolderMode mode, int minBytes, int maxBytes, Set<String> types) {
    return new AccountGenerator(seed, mode, minBytes, maxBytes, types).generate(count);
  }

  /** The small fixed-mode account of the demo, cloud {@code demo-cloud}. */
  public static EmulatorAccount demo() {
    return DemoAccount.create();
  }

  public String cloudName() {
    return cloudName;
  }

  /**
   * Metadata fields, presets, named transformations, mappings and explicit folders: empty until
   * set.
   */
  public AccountConfiguration configuration() {
    return configuration;
  }

  public String apiKey() {
    return apiKey;
  }

  public String apiSecret() {
    return apiSecret;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public FolderMode folderMode() {
    return folderMode;
  }

  public void folderMode(FolderMode mode) {
    this.folderMode = Objects.requireNonNull(mode, "mode");
  }

  /**
   * @throws IllegalArgumentException if the asset_id or the (resource_type, type, public_id) is
   *     already present
   */
  public void add(EmulatedAsset asset) {
    store.add(Objects.requireNonNull(asset, "asset"));
  }

  /** Removes the asset if present. */
  public void remove(String assetId) {
    store.remove(assetId);
  }

  /** Replaces the asset with the same asset_id, e.g. by a new version. */
  public void replace(EmulatedAsset asset) {
    store.replace(Objects.requireNonNull(asset, "asset"));
  }

  public Optional<EmulatedAsset> byAssetId(String assetId) {
    return store.byAssetId(assetId);
  }

  public Optional<EmulatedAsset> byPublicId(String resourceType, String type, String publicId) {
    return store.byPublicId(resourceType, type, publicId);
  }

  /** A live, unmodifiable view in no particular order. */
  public Collection<EmulatedAsset> assets() {
    return store.all();
  }

  public int size() {
    return store.size();
  }

  AssetStore store() {
    return store;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }
}
