package io.github.cloudinarybackup.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed download endpoint {@code GET
 * /v1_1/<cloud>/<rt>/download?public_id=&format=&type=&timestamp=&signature=
 * &api_key=[&attachment=&expires_at=]}, as built by {@code Cloudinary.privateDownload}. Serves the
 * original of any delivery type that has one.
 */
final class DownloadEndpoint {

  /** How long a signed request stays valid when it carries no {@code expires_at}. */
  private static final Duration SIGNATURE_LIFETIME = Duration.ofHours(1);

  private final EmulatorAccount account;
  private final Clock clock;

  DownloadEndpoint(EmulatorAccount account, Clock clock) {
    this.account = account;
    this.clock = clock;
  }

  HttpReply handle(HttpExchange exchange, String cloudName, String resourceType) {
    if (!cloudName.equals(account.cloudName())) {
      throw ApiError.unauthorized("Invalid cloud_name " + cloudName);
    }
    Map<String, String> params =
        firstValues(UrlCodec.parseForm(exchange.getRequestURI().getRawQuery()));
    verifySignedRequest(params);

    String publicId = params.get("public_id");
    if (publicId == null || publicId.isEmpty()) {
      throw ApiError.badRequest("Missing required parameter - public_id");
    }
    ResourceListing.requireResourceType(resourceType);
    String type = params.getOrDefault("type", "upload");
    String format = params.get("format");
    EmulatedAsset asset =
        account
            .byPublicId(resourceType, type, publicId)
            .filter(EmulatedAsset::hasOriginal)
            // The emulator cannot convert, so a different format than the stored one does not exist
            // here.
            .filter(
                a ->
                    format == null
                        || format.isEmpty()
                        || a.format() == null
                        || a.format().equals(format))
            .orElseThrow(() -> ApiError.notFound("Resource not found - " + publicId));

    HttpReply reply =
        HttpReply.bytes(MediaTypes.of(asset), asset.content())
            .header("ETag", "\"" + asset.md5() + "\"");
    if ("true".equals(params.get("attachment")) || "1".equals(params.get("attachment"))) {
      String fileName = asset.fileName().substring(asset.fileName().lastIndexOf('/') + 1);
      reply.header(
          "Content-Disposition",
          "attachment; filename*=UTF-8''"
              + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return reply;
  }

  /** The {@code public_id} parameter, whether or not the request is signed, or null when absent. */
  static String publicIdOf(HttpExchange exchange) {
    List<String> values =
        UrlCodec.parseForm(exchange.getRequestURI().getRawQuery()).get("public_id");
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** api_key, signature and freshness, in the order Cloudinary reports their failures. */
  private void verifySignedRequest(Map<String, String> params) {
    long timestamp = Signatures.verifySignedRequest(params, account, 401);
    Instant now = clock.instant();
    String expiresAt = params.get("expires_at");
    if (expiresAt != null && !expiresAt.isEmpty()) {
      if (now.isAfter(Instant.ofEpochSecond(parseSeconds(expiresAt, "expires_at")))) {
        throw ApiError.unauthorized("Download link expired at " + expiresAt);
      }
    } else {
      Instant signedAt = Instant.ofEpochSecond(timestamp);
      if (now.isAfter(signedAt.plus(SIGNATURE_LIFETIME))) {
        throw ApiError.unauthorized(
            "Stale request - reported time is " + signedAt + " which is more than 1 hour ago");
      }
    }
  }

  private static long parseSeconds(String value, String name) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid " + name + " " + value);
    }
  }

  private static Map<String, String> firstValues(Map<String, List<String>> params) {
    Map<String, String> first = new LinkedHashMap<>();
    params.forEach((k, v) -> first.put(k, v.get(0)));
    return first;
  }
}
