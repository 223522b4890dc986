package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One asset held by the emulator. Immutable; build with {@link #builder()}.
 *
 * <p>Content is either an explicit byte array or generated on demand from a (seed, size) pair, so
 * that accounts of 100k assets do not keep their originals in memory.
 */
public final class EmulatedAsset {

  /**
   * Delivery types that store an original; every other type (facebook, fetch, youtube, ...) is a
   * remote reference.
   */
  private static final Set<String> STORED_TYPES = Set.of("upload", "private", "authenticated");

  private static final byte[] NO_BYTES = new byte[0];

  private final String assetId;
  private final String publicId;
  private final String resourceType;
  private final String type;
  private final String format;
  private final long version;
  private final Instant createdAt;
  private final String assetFolder;
  private final String displayName;
  private final List<String> tags;
  private final Map<String, String> context;
  private final Map<String, Object> metadata;
  private final byte[] explicitContent;
  private final long contentSeed;
  private final int generatedSize;

  /**
   * Computed on first use: generated content would otherwise have to be hashed for every asset up
   * front.
   */
  private volatile String md5;

  private EmulatedAsset(Builder b) {
    this.publicId = require(b.publicId, "publicId");
    this.resourceType = require(b.resourceType, "resourceType");
    this.type = require(b.type, "type");
    if (!Set.of("image", "video", "raw").contains(resourceType)) {
      throw new IllegalArgumentException(
          "resourceType must be image, video or raw: " + resourceType);
    }
    this.format =
        "raw".equals(resourceType) || b.format == null || b.format.isEmpty() ? null : b.format;
    this.createdAt =
        b.createdAt != null ? b.createdAt : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.version = b.version != null ? b.version : createdAt.getEpochSecond();
    this.assetId = b.assetId != null ? b.assetId : defaultAssetId(resourceType, type, publicId);
    this.assetFolder = b.assetFolder;
    this.displayName = b.displayName;
    this.tags = b.tags == null ? List.of() : List.copyOf(b.tags);
    this.context = b.context == null ? Map.of() : unmodifiableCopy(b.context);
    this.metadata = b.metadata == null ? Map.of() : unmodifiableCopy(b.metadata);
    this.explicitContent = b.content == null ? null : b.content.clone();
    this.contentSeed = b.contentSeed;
    this.generatedSize = b.generatedSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b =
        new Builder()
            .assetId(assetId)
            .publicId(publicId)
            .resourceType(resourceType)
            .type(type)
            .format(format)
            .version(version)
            .createdAt(createdAt)
            .assetFolder(assetFolder)
            .displayName(displayName)
            .tags(tags)
            .context(context)
            .metadata(metadata);
    if (explicitContent != null) {
      b.content(explicitContent);
    } else {
      b.generatedContent(contentSeed, generatedSize);
    }
    return b;
  }

  public String assetId() {
    return assetId;
  }

  public String publicId() {
    return publicId;
  }

  public String resourceType() {
    return resourceType;
  }

  public String type() {
    return type;
  }

  /** Null for raw assets, whose extension (if any) is part of the public_id. */
  public String format() {
    return format;
  }

  public long version() {
    return version;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** Dynamic-mode folder; may be null for assets built for a fixed-mode account. */
  public String assetFolder() {
    return assetFolder;
  }

  /** Dynamic-mode display name; may be null for assets built for a fixed-mode account. */
  public String displayName() {
    return displayName;
  }

  public List<String> tags() {
    return tags;
  }

  public Map<String, String> context() {
    return context;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  /** Whether Cloudinary stores an original for this asset (upload, private, authenticated). */
  public boolean hasOriginal() {
    return STORED_TYPES.contains(type);
  }

  /** The original's bytes; empty for remote types. Generated content is rebuilt on every call. */
  public byte[] content() {
    if (!hasOriginal()) {
      return NO_BYTES;
    }
    if (explicitContent != null) {
      return explicitContent.clone();
    }
    byte[] bytes = new byte[generatedSize];
    new SplittableRandom(contentSeed).nextBytes(bytes);
    return bytes;
  }

  public long bytes() {
    if (!hasOriginal()) {
      return 0;
    }
    return explicitContent != null ? explicitContent.length : generatedSize;
  }

  /**
   * Hex MD5 of the content, which is also the etag; null for remote types, which have no original.
   */
  public String md5() {
    if (!hasOriginal()) {
      return null;
    }
    String value = md5;
    if (value == null) {
      value = HexFormat.of().formatHex(md5Digest().digest(content()));
      md5 = value;
    }
    return value;
  }

  /** The name of the stored file: the public_id plus {@code .format} unless raw. */
  public String fileName() {
    return format == null ? publicId : publicId + "." + format;
  }

  @Override
  public String toString() {
    return "EmulatedAsset[" + resourceType + "/" + type + "/" + fileName() + " id=" + assetId + "]";
  }

  static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String defaultAssetId(String resourceType, String type, String publicId) {
    byte[] key = (resourceType + "/" + type + "/" + publicId).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(md5Digest().digest(key));
  }

  private static <V> Map<String, V> unmodifiableCopy(Map<String, V> source) {
    // LinkedHashMap keeps the caller's order for JSON output; Map.copyOf would scramble it.
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(source));
  }

  private static String require(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  /**
   * Sets any field. Defaults: image/upload, createdAt now, version = createdAt seconds, empty
   * content.
   */
  public static final class Builder {
    private String assetId;
    private String publicId;
    private String resourceType = "image";
    private String type = "upload";
    private String format;
    private Long version;
    private Instant createdAt;
    private String assetFolder;
    private String displayName;
    private List<String> tags;
    private Map<String, String> context;
    private Map<String, Object> metadata;
    private byte[] content;
    private long contentSeed;
    private int generatedSize;

    private Builder() {}

    public Builder assetId(String v) {
      this.assetId = v;
      return this;
    }

    public Builder publicId(String v) {
      this.publicId = v;
      return this;
    }

    public Builder resourceType(String v) {
      this.resourceType = v;
      return this;
    }

    public Builder type(String v) {
      this.type = v;
      return this;
    }

    public Builder format(String v) {
      this.format = v;
      return this;
    }

    public Builder version(long v) {
      this.version = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      this.createdAt = v;
      return this;
    }

    public Builder assetFolder(String v) {
      this.assetFolder = v;
      return this;
    }

    public Builder displayName(String v) {
      this.displayName = v;
      return this;
    }

    public Builder tags(List<String> v) {
      this.tags = v;
      return this;
    }

    public Builder context(Map<String, String> v) {
      this.context = v;
      return this;
    }

    public Builder metadata(Map<String, Object> v) {
      this.metadata = v;
      return this;
    }

    /** Explicit content; replaces any generated content. */
    public Builder content(byte[] v) {
      this.content = Objects.requireNonNull(v, "content").clone();
      return this;
    }

    /** Content of {@code size} pseudo-random bytes derived from {@code seed}, rebuilt on demand. */
    public Builder generatedContent(long seed, int size) {
      if (size < 0) {
        throw new IllegalArgumentException("size must be >= 0: " + size);
      }
      this.content = null;
      this.contentSeed = seed;
      this.generatedSize = size;
      return this;
    }

    public EmulatedAsset build() {
      return new EmulatedAsset(this);
    }
  }
}
