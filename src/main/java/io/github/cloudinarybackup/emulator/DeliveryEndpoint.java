package io.github.cloudinarybackup.emulator;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery URLs {@code /<cloud>/<rt>/<type>[/s--SIG--][/v<version>]/<public_id>[.<format>]},
 * serving originals only (no transformations). Upload originals are public; private and
 * authenticated ones need a valid URL signature. The version is ignored, as Cloudinary does.
 */
final class DeliveryEndpoint {

  private static final Pattern SIGNATURE =
      Pattern.compile("s--([A-Za-z0-9_-]{8}|[A-Za-z0-9_-]{32})--");
  private static final Pattern VERSION = Pattern.compile("v\\d+");
  private static final Set<String> SIGNATURE_REQUIRED = Set.of("private", "authenticated");

  private final EmulatorAccount account;

  DeliveryEndpoint(EmulatorAccount account) {
    this.account = account;
  }

  /**
   * @param segments raw path segments: cloud, resource type, delivery type, then the rest
   */
  HttpReply handle(List<String> segments) {
    Target target = parse(segments);
    String source = target.source();
    if (!target.cloudName().equals(account.cloudName()) || source.isEmpty()) {
      throw ApiError.notFound("Resource not found - " + source);
    }

    EmulatedAsset asset =
        find(target.resourceType(), target.type(), source)
            .filter(EmulatedAsset::hasOriginal)
            .orElseThrow(() -> ApiError.notFound("Resource not found - " + source));
    String signature = target.signature();
    if (signature != null
        ? !validSignature(signature, target.rawSource(), source)
        : SIGNATURE_REQUIRED.contains(target.type())) {
      throw ApiError.unauthorized(
          signature == null
              ? "Signature required to access " + target.type() + " resources"
              : "Invalid signature " + signature);
    }
    return HttpReply.bytes(MediaTypes.of(asset), asset.content())
        .header("ETag", "\"" + asset.md5() + "\"");
  }

  /**
   * The public_id of the asset this delivery URL addresses, whether or not the request would be
   * allowed, or null when it addresses none of this account's assets.
   */
  String publicIdOf(List<String> segments) {
    Target target = parse(segments);
    if (!target.cloudName().equals(account.cloudName()) || target.source().isEmpty()) {
      return null;
    }
    return find(target.resourceType(), target.type(), target.source())
        .map(EmulatedAsset::publicId)
        .orElse(null);
  }

  /**
   * @param signature the URL signature, or null when unsigned
   * @param rawSource the public_id (with format) as received, still percent-encoded
   * @param source the same, decoded
   */
  private record Target(
      String cloudName,
      String resourceType,
      String type,
      String signature,
      String rawSource,
      String source) {}

  private static Target parse(List<String> segments) {
    String cloudName = UrlCodec.decodePathSegment(segments.get(0));
    String resourceType = segments.get(1);
    String type = UrlCodec.decodePathSegment(segments.get(2));
    List<String> rest = segments.subList(3, segments.size());
    String signature = null;
    Matcher signed = SIGNATURE.matcher(rest.get(0));
    if (signed.matches()) {
      signature = signed.group(1);
      rest = rest.subList(1, rest.size());
    }
    if (rest.size() > 1 && VERSION.matcher(rest.get(0)).matches()) {
      rest = rest.subList(1, rest.size());
    }
    String rawSource = String.join("/", rest);
    String source = String.join("/", rest.stream().map(UrlCodec::decodePathSegment).toList());
    return new Target(cloudName, resourceType, type, signature, rawSource, source);
  }

  /**
   * Raw files carry their extension in the public_id; for images and videos the extension is the
   * format, which must match the stored one since the emulator cannot convert. A name without
   * extension serves the original.
   */
  private Optional<EmulatedAsset> find(String resourceType, String type, String source) {
    if (resourceType.equals("raw")) {
      return account.byPublicId(resourceType, type, source);
    }
    int dot = source.lastIndexOf('.');
    if (dot > source.lastIndexOf('/')) {
      String format = source.substring(dot + 1);
      Optional<EmulatedAsset> withFormat =
          account
              .byPublicId(resourceType, type, source.substring(0, dot))
              .filter(a -> format.equals(a.format()));
      if (withFormat.isPresent()) {
        return withFormat;
      }
    }
    return account.byPublicId(resourceType, type, source);
  }

  /**
   * The SDK signs the public_id (with format) as its SmartUrlEncoder writes it into the URL. Other
   * clients encode differently, so the form as received and the decoded form are accepted too.
   */
  private boolean validSignature(String signature, String rawSource, String source) {
    boolean longForm = signature.length() == 32;
    for (String candidate : List.of(UrlCodec.smartEncode(source), rawSource, source)) {
      if (Signatures.constantTimeEquals(
          Signatures.deliverySignature(candidate, account.apiSecret(), longForm), signature)) {
        return true;
      }
    }
    return false;
  }
}
