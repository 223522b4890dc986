package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signed download endpoint, driven by {@code Cloudinary.privateDownload}. */
class DownloadTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static CloudinaryEmulator emulator;
  private static Cloudinary cloudinary;

  @BeforeAll
  static void start() {
    emulator = CloudinaryEmulator.start(EmulatorAccount.demo());
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void signedDownloadsOfEveryStoredTypeReturnTheOriginal() throws Exception {
    int checked = 0;
    for (EmulatedAsset asset : emulator.account().assets()) {
      if (!asset.hasOriginal()) {
        continue;
      }
      HttpResponse<byte[]> response = get(download(asset, ObjectUtils.emptyMap()));
      assertEquals(200, response.statusCode(), asset::toString);
      assertEquals(asset.md5(), md5(response.body()), asset::toString);
      assertEquals("\"" + asset.md5() + "\"", response.headers().firstValue("ETag").orElseThrow());
      assertEquals(
          Long.toString(asset.bytes()),
          response.headers().firstValue("Content-Length").orElseThrow());
      checked++;
    }
    assertTrue(checked > 20);
  }

  @Test
  void contentTypeFollowsFormatOrRawExtensionAndAttachmentNamesTheFile() throws Exception {
    EmulatedAsset raw = asset("raw", "private", "backups/db dump.zip");
    HttpResponse<byte[]> response = get(download(raw, ObjectUtils.asMap("attachment", true)));
    assertEquals(200, response.statusCode());
    assertEquals("application/zip", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(
        "attachment; filename*=UTF-8''db%20dump.zip",
        response.headers().firstValue("Content-Disposition").orElseThrow());
    EmulatedAsset png = asset("image", "private", "hr/Straße/badge photo");
    assertEquals(
        "image/png",
        get(download(png, ObjectUtils.emptyMap()))
            .headers()
            .firstValue("Content-Type")
            .orElseThrow());
  }

  @Test
  void unsignedTamperedOrForeignRequestsAreUnauthorized() throws Exception {
    EmulatedAsset asset = asset("image", "authenticated", "invoices/2024/invoice_0001");
    String url = download(asset, ObjectUtils.emptyMap());

    HttpResponse<String> tampered = getText(url.replace("invoice_0001", "invoice_0002"));
    assertEquals(401, tampered.statusCode());
    assertTrue(
        tampered.body().startsWith("{\"error\":{\"message\":\"Invalid Signature "),
        tampered.body());

    HttpResponse<String> unsigned = getText(url.replaceAll("signature=[0-9a-f]+&?", ""));
    assertEquals(401, unsigned.statusCode());
    assertEquals(
        "{\"error\":{\"message\":\"Missing required parameter - signature\"}}", unsigned.body());

    HttpResponse<String> foreignKey = getText(url.replaceAll("api_key=\\d+", "api_key=999"));
    assertEquals("{\"error\":{\"message\":\"Unknown API key 999\"}}", foreignKey.body());

    Cloudinary wrongSecret =
        new Cloudinary(
            emulator.cloudinaryUrl().replace(emulator.account().apiSecret(), "not-the-secret"));
    String forged =
        wrongSecret.privateDownload(
            asset.publicId(), asset.format(), ObjectUtils.asMap("type", asset.type()));
    assertEquals(401, getText(forged).statusCode());
  }

  @Test
  void staleSignaturesAreRefusedUnlessExpiresAtSaysOtherwise() throws Exception {
    EmulatedAsset asset = asset("image", "private", "contracts/scans/signed_contract");
    String apiSecret = emulator.account().apiSecret();
    long twoHoursAgo = System.currentTimeMillis() / 1000 - 7200;
    Map<String, String> params =
        new java.util.HashMap<>(
            Map.of(
                "public_id",
                asset.publicId(),
                "format",
                asset.format(),
                "type",
                asset.type(),
                "timestamp",
                Long.toString(twoHoursAgo)));
    HttpResponse<String> stale = getText(signedUrl(params, apiSecret));
    assertEquals(401, stale.statusCode());
    assertTrue(stale.body().contains("Stale request"), stale.body());

    params.put("expires_at", Long.toString(twoHoursAgo + 3 * 3600));
    assertEquals(200, getText(signedUrl(params, apiSecret)).statusCode());
    params.put("expires_at", Long.toString(twoHoursAgo + 60));
    assertEquals(401, getText(signedUrl(params, apiSecret)).statusCode());
  }

  @Test
  void unknownAndRemoteAssetsAreNotFound() throws Exception {
    String unknown =
        cloudinary.privateDownload("no/such asset", "jpg", ObjectUtils.asMap("type", "private"));
    HttpResponse<String> response = getText(unknown);
    assertEquals(404, response.statusCode());
    assertEquals(
        "{\"error\":{\"message\":\"Resource not found - no/such asset\"}}", response.body());
    EmulatedAsset remote = asset("image", "facebook", "65646572251");
    assertEquals(404, getText(download(remote, ObjectUtils.emptyMap())).statusCode());
  }

  @Test
  void sha256SignaturesAreAcceptedToo() throws Exception {
    Cloudinary sha256 = new Cloudinary(emulator.cloudinaryUrl() + "&signature_algorithm=SHA256");
    EmulatedAsset asset = asset("video", "authenticated", "videos/customers/onboarding");
    String url =
        sha256.privateDownload(
            asset.publicId(),
            asset.format(),
            ObjectUtils.asMap("type", asset.type(), "resource_type", asset.resourceType()));
    assertTrue(url.matches(".*signature=[0-9a-f]{64}.*"), url);
    HttpResponse<byte[]> response = get(url);
    assertEquals(200, response.statusCode());
    assertArrayEquals(asset.content(), response.body());
  }

  private static String download(EmulatedAsset asset, Map<String, Object> extra) throws Exception {
    Map<String, Object> options = new java.util.HashMap<>(extra);
    options.put("type", asset.type());
    options.put("resource_type", asset.resourceType());
    return cloudinary.privateDownload(asset.publicId(), asset.format(), options);
  }

  /** Builds a download URL by hand, for parameters the SDK does not let a caller choose. */
  private static String signedUrl(Map<String, String> params, String apiSecret) {
    String signature = Signatures.signParameters(params, apiSecret, "SHA-1");
    StringBuilder url =
        new StringBuilder(
            emulator.baseUri()
                + "/v1_1/demo-cloud/image/download?api_key="
                + emulator.account().apiKey()
                + "&signature="
                + signature);
    params.forEach(
        (k, v) ->
            url.append('&')
                .append(k)
                .append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return url.toString();
  }

  private static EmulatedAsset asset(String resourceType, String type, String publicId) {
    return emulator.account().byPublicId(resourceType, type, publicId).orElseThrow();
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> getText(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
