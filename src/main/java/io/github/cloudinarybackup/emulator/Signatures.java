package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Cloudinary's two signature schemes: signed API parameters and signed delivery URLs. */
final class Signatures {

  /** Parameters that are sent along but never signed. */
  private static final Set<String> UNSIGNED =
      Set.of("api_key", "signature", "cloud_name", "resource_type", "file");

  private Signatures() {}

  /**
   * The string the SDK signs: the signed parameters without empty values, sorted by key, {@code
   * k=v} joined by {@code &}, with {@code &} inside values escaped as {@code %26}
   * (signature_version 2).
   */
  static String stringToSign(Map<String, String> params) {
    return new TreeMap<>(params)
        .entrySet().stream()
            .filter(
                e ->
                    !UNSIGNED.contains(e.getKey())
                        && e.getValue() != null
                        && !e.getValue().isEmpty())
            .map(e -> e.getKey() + "=" + e.getValue().replace("&", "%26"))
            .collect(Collectors.joining("&"));
  }

  /**
   * A signed request's api_key, signature and timestamp, in the order Cloudinary reports their
   * failures (401 for an unknown key or a wrong signature, quoting the string to sign; {@code
   * missingStatus} for an absent parameter). Freshness is the caller's: the endpoints answer it
   * differently.
   *
   * @return the timestamp the request was signed at, in epoch seconds
   */
  static long verifySignedRequest(
      Map<String, String> params, EmulatorAccount account, int missingStatus) {
    String apiKey = params.get("api_key");
    if (apiKey == null || apiKey.isEmpty()) {
      throw ApiError.unauthorized("Must supply api_key");
    }
    if (!apiKey.equals(account.apiKey())) {
      throw ApiError.unauthorized("Unknown API key " + apiKey);
    }
    String signature = params.get("signature");
    if (signature == null || signature.isEmpty()) {
      throw new ApiError(missingStatus, "Missing required parameter - signature");
    }
    String timestamp = params.get("timestamp");
    if (timestamp == null || timestamp.isEmpty()) {
      throw new ApiError(missingStatus, "Missing required parameter - timestamp");
    }
    if (!verifyParameters(params, account.apiSecret(), signature)) {
      throw ApiError.unauthorized(
          "Invalid Signature " + signature + ". String to sign - '" + stringToSign(params) + "'.");
    }
    try {
      return Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid timestamp " + timestamp);
    }
  }

  /** Lower-case hex signature of the parameters, SHA-1 or SHA-256. */
  static String signParameters(Map<String, String> params, String apiSecret, String algorithm) {
    return HexFormat.of().formatHex(digest(algorithm, stringToSign(params) + apiSecret));
  }

  /** Checks a parameter signature; its length tells SHA-1 (40 hex) from SHA-256 (64 hex). */
  static boolean verifyParameters(Map<String, String> params, String apiSecret, String signature) {
    String algorithm = signature.length() == 64 ? "SHA-256" : "SHA-1";
    return constantTimeEquals(
        signParameters(params, apiSecret, algorithm), signature.toLowerCase());
  }

  /**
   * The {@code s--XXXXXXXX--} component's payload for {@code toSign} (transformation and public_id
   * with format, version excluded): URL-safe base64 of SHA-1, first 8 characters; SHA-256 and 32
   * characters in the long form.
   */
  static String deliverySignature(String toSign, String apiSecret, boolean longForm) {
    byte[] hash = digest(longForm ? "SHA-256" : "SHA-1", toSign + apiSecret);
    return Base64.getUrlEncoder().encodeToString(hash).substring(0, longForm ? 32 : 8);
  }

  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(String algorithm, String text) {
    try {
      return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
