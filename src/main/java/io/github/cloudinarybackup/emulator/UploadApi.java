package io.github.cloudinarybackup.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Upload API's {@code POST /v1_1/<cloud>/<resource_type>/upload}, as Cloudinary answers a
 * signed upload (cloudinary-upload-and-config.md §1-§4): the signature checked on the exact strings
 * received (401 {@code Invalid Signature … String to sign - '…'.}), a timestamp older than an hour
 * refused (400 {@code Stale request}), {@code overwrite} true by default and {@code existing:true}
 * when false found the asset, {@code folder} prefixing the public_id, tags, context and structured
 * metadata (each value checked against the account's field definitions), and {@code uploadLarge}'s
 * parts ({@code X-Unique-Upload-Id}, {@code Content-Range}, parts before the last of at least
 * {@link #minimumChunkBytes} bytes, answered {@code {"done":false}}). The Upload API is not rate
 * limited. Every accepted request is kept as an {@link Upload} for tests.
 */
public final class UploadApi {

  /** What an upload request did. */
  public enum Outcome {
    /** A new asset. */
    CREATED,
    /** An existing asset replaced ({@code overwrite} true). */
    OVERWRITTEN,
    /** {@code overwrite=false} found the asset: nothing written, {@code existing:true}. */
    EXISTING,
    /** A part of a chunked upload before its last. */
    PART
  }

  /** One accepted upload request. */
  public record Upload(
      Instant at, String resourceType, String type, String publicId, Outcome outcome, long bytes) {}

  private static final long STALE_AFTER_SECONDS = 3600;
  private static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw", "auto");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmulatorAccount account;
  private final ResourceJson json;
  private final Clock clock;
  private final List<Upload> uploads = new CopyOnWriteArrayList<>();
  private final Map<String, ChunkedUpload> chunked = new ConcurrentHashMap<>();
  private volatile long minimumChunkBytes = 5_000_000;

  UploadApi(EmulatorAccount account, ResourceJson json, Clock clock) {
    this.account = account;
    this.json = json;
    this.clock = clock;
  }

  /** Every accepted upload request so far, in arrival order. */
  public List<Upload> uploads() {
    return List.copyOf(uploads);
  }

  /**
   * How many requests created or replaced this asset (parts and {@code existing} answers not
   * counted).
   */
  public long writesOf(String resourceType, String type, String publicId) {
    return uploads.stream()
        .filter(
            u ->
                u.resourceType().equals(resourceType)
                    && u.type().equals(type)
                    && u.publicId().equals(publicId)
                    && (u.outcome() == Outcome.CREATED || u.outcome() == Outcome.OVERWRITTEN))
        .count();
  }

  /** The smallest part a chunked upload may send before its last (Cloudinary: 5 MB). */
  public UploadApi minimumChunkBytes(long bytes) {
    this.minimumChunkBytes = bytes;
    return this;
  }

  /**
   * @param segments the decoded path after {@code v1_1}: cloud, resource type, action
   */
  HttpReply handle(HttpExchange exchange, List<String> segments) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      return HttpReply.error(404, "Unsupported Upload API method " + exchange.getRequestMethod());
    }
    if (!segments.get(0).equals(account.cloudName())) {
      throw ApiError.unauthorized("Invalid cloud_name " + segments.get(0));
    }
    String resourceType = segments.get(1);
    if (!RESOURCE_TYPES.contains(resourceType) || !segments.get(2).equals("upload")) {
      throw ApiError.notFound("Unsupported Upload API endpoint " + String.join("/", segments));
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    UploadForm form = UploadForm.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
    authenticate(form.fields());
    byte[] content = form.file();
    String uploadId = exchange.getRequestHeaders().getFirst("X-Unique-Upload-Id");
    if (uploadId != null) {
      ChunkedUpload upload = chunked.computeIfAbsent(uploadId, id -> new ChunkedUpload());
      Optional<byte[]> whole =
          upload.add(
              exchange.getRequestHeaders().getFirst("Content-Range"), content, minimumChunkBytes);
      if (whole.isEmpty()) {
        String publicId = form.fields().getOrDefault("public_id", "");
        uploads.add(
            new Upload(
                clock.instant(),
                resourceType,
                form.fields().getOrDefault("type", "upload"),
                publicId,
                Outcome.PART,
                content == null ? 0 : content.length));
        Map<String, Object> partial = new LinkedHashMap<>();
        partial.put("done", false);
        partial.put("bytes", upload.received());
        partial.put("kind", "upload");
        partial.put("resource_type", resourceType);
        partial.put("public_id", publicId);
        return HttpReply.json(200, partial);
      }
      chunked.remove(uploadId);
      content = whole.get();
    }
    if (content == null) {
      throw ApiError.badRequest("Missing required parameter - file");
    }
    return HttpReply.json(200, store(resourceType, form, content));
  }

  /**
   * Signed as the SDK signs; a signature over an hour old is refused with 400, as the Upload API
   * refuses it.
   */
  private void authenticate(Map<String, String> fields) {
    long at = Signatures.verifySignedRequest(fields, account, 400);
    if (clock.instant().getEpochSecond() - at > STALE_AFTER_SECONDS) {
      throw ApiError.badRequest(
          "Stale request - reported time is "
              + Instant.ofEpochSecond(at)
              + " which is more than 1 hour ago");
    }
  }

  private Map<String, Object> store(String urlResourceType, UploadForm form, byte[] content) {
    Map<String, String> f = form.fields();
    String resourceType = urlResourceType.equals("auto") ? "image" : urlResourceType;
    String type = f.getOrDefault("type", "upload");
    if (!Set.of("upload", "private", "authenticated").contains(type)) {
      throw ApiError.badRequest("Invalid type " + type + " for an upload");
    }
    String folder = f.get("folder");
    String publicId = f.get("public_id");
    if (publicId == null || publicId.isEmpty()) {
      publicId = HexFormat.of().formatHex(randomBytes(10));
    }
    if (folder != null && !folder.isEmpty()) {
      publicId = folder.replaceAll("/+$", "") + "/" + publicId;
    }
    boolean overwrite = !"false".equals(f.get("overwrite")) && !"0".equals(f.get("overwrite"));
    synchronized (account) {
      Optional<EmulatedAsset> existing = account.byPublicId(resourceType, type, publicId);
      if (existing.isPresent() && !overwrite) {
        uploads.add(
            new Upload(
                clock.instant(), resourceType, type, publicId, Outcome.EXISTING, content.length));
        Map<String, Object> answer = response(existing.get());
        answer.put("existing", true);
        return answer;
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      long version = now.getEpochSecond();
      if (existing.isPresent() && existing.get().version() >= version) {
        version = existing.get().version() + 1; // two uploads in one second still get two versions
      }
      EmulatedAsset.Builder b =
          EmulatedAsset.builder()
              .assetId(
                  existing
                      .map(EmulatedAsset::assetId)
                      .orElseGet(() -> HexFormat.of().formatHex(randomBytes(16))))
              .publicId(publicId)
              .resourceType(resourceType)
              .type(type)
              .format(resourceType.equals("raw") ? null : extension(form.fileName()))
              .version(version)
              .createdAt(now)
              .tags(tags(f.get("tags")))
              .context(UploadFields.pairs(f.get("context")))
              .metadata(metadata(f.get("metadata")))
              .content(content);
      String assetFolder = f.get("asset_folder");
      if (assetFolder == null && folder != null) {
        assetFolder = folder; // dynamic mode: folder sets the asset folder too
      }
      b.assetFolder(assetFolder == null ? "" : assetFolder);
      String displayName = f.get("display_name");
      if (displayName != null && !displayName.isEmpty()) {
        b.displayName(displayName);
      }
      EmulatedAsset asset = b.build();
      if (existing.isPresent()) {
        account.replace(asset);
      } else {
        account.add(asset);
      }
      uploads.add(
          new Upload(
              clock.instant(),
              resourceType,
              type,
              publicId,
              existing.isPresent() ? Outcome.OVERWRITTEN : Outcome.CREATED,
              content.length));
      Map<String, Object> answer = response(asset);
      if (existing.isPresent()) {
        answer.put("overwritten", true);
      }
      return answer;
    }
  }

  /**
   * The upload response (§3.1): the details of the stored asset, its signature, and the api_key.
   */
  private Map<String, Object> response(EmulatedAsset asset) {
    Map<String, Object> answer = new LinkedHashMap<>(json.details(asset));
    answer.remove("derived");
    answer.put("version_id", HexFormat.of().formatHex(randomBytes(16)));
    answer.put(
        "signature",
        Signatures.signParameters(
            Map.of("public_id", asset.publicId(), "version", Long.toString(asset.version())),
            account.apiSecret(),
            "SHA-1"));
    answer.put("placeholder", false);
    answer.put("api_key", account.apiKey());
    return answer;
  }

  private static List<String> tags(String value) {
    List<String> tags = new ArrayList<>();
    if (value != null) {
      for (String tag : value.split(",")) {
        if (!tag.isEmpty() && !tags.contains(tag)) {
          tags.add(tag);
        }
      }
    }
    return tags;
  }

  /**
   * {@code external_id=value|…}, each value checked and typed by the account's field definition: an
   * unknown field is refused as Cloudinary refuses it (400 {@code Invalid value for parameter
   * kind}).
   */
  private Map<String, Object> metadata(String value) {
    Map<String, Object> typed = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : UploadFields.pairs(value).entrySet()) {
      Map<String, Object> field =
          account.configuration().metadataFields().stream()
              .filter(m -> pair.getKey().equals(m.get("external_id")))
              .findFirst()
              .orElseThrow(() -> ApiError.badRequest("Invalid value  for parameter kind"));
      typed.put(pair.getKey(), UploadFields.typedMetadataValue(field, pair.getValue()));
    }
    return typed;
  }

  private static String extension(String fileName) {
    if (fileName == null) {
      return null;
    }
    int dot = fileName.lastIndexOf('.');
    return dot <= 0 || dot == fileName.length() - 1
        ? null
        : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * The parts of one {@code uploadLarge}, each written at its offset; whole once the total is known
   * and covered.
   */
  private static final class ChunkedUpload {
    private static final java.util.regex.Pattern CONTENT_RANGE =
        java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(-1|\\d+)");

    private final Map<Long, byte[]> parts = new java.util.TreeMap<>();
    private long total = -1;

    synchronized Optional<byte[]> add(String contentRange, byte[] part, long minimumChunkBytes) {
      if (contentRange == null || part == null) {
        throw ApiError.badRequest("A chunked upload needs Content-Range and a file part");
      }
      java.util.regex.Matcher m = CONTENT_RANGE.matcher(contentRange);
      if (!m.matches()) {
        throw ApiError.badRequest("Invalid Content-Range " + contentRange);
      }
      long start = Long.parseLong(m.group(1));
      long end = Long.parseLong(m.group(2));
      long declaredTotal = Long.parseLong(m.group(3));
      if (end - start + 1 != part.length) {
        throw ApiError.badRequest(
            "Content-Range "
                + contentRange
                + " does not match the part's "
                + part.length
                + " bytes");
      }
      boolean last = declaredTotal >= 0 && end + 1 == declaredTotal;
      if (!last && part.length < minimumChunkBytes) {
        throw ApiError.badRequest(
            "Chunk size below the minimum of " + minimumChunkBytes + " bytes");
      }
      parts.put(start, part);
      if (declaredTotal >= 0) {
        total = declaredTotal;
      }
      if (total < 0 || received() < total) {
        return Optional.empty();
      }
      byte[] whole = new byte[Math.toIntExact(total)];
      long at = 0;
      for (Map.Entry<Long, byte[]> p : parts.entrySet()) {
        if (p.getKey() != at) {
          throw ApiError.badRequest("Chunked upload has a gap at byte " + at);
        }
        System.arraycopy(p.getValue(), 0, whole, Math.toIntExact(at), p.getValue().length);
        at += p.getValue().length;
      }
      return Optional.of(whole);
    }

    synchronized long received() {
      return parts.values().stream().mapToLong(p -> p.length).sum();
    }
  }
}
