package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.Configuration;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.utils.ObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery URLs: public originals, signed private/authenticated ones, awkward public_ids. */
class DeliveryTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> AWKWARD_IDS =
      List.of(
          "folder/my file é+x",
          "Ünïcödé/東京 タワー/🎉",
          "100% real",
          "a+b=c",
          "semi;colon,comma(1)",
          "~tilde's");
  private static CloudinaryEmulator emulator;
  private static Cloudinary cloudinary;

  /** Builds delivery URLs on the emulator: plain http with the emulator as cname. */
  private static Cloudinary urls;

  @BeforeAll
  static void start() {
    EmulatorAccount account = EmulatorAccount.demo();
    for (String publicId : AWKWARD_IDS) {
      account.add(
          EmulatedAsset.builder()
              .publicId(publicId)
              .format("png")
              .content(publicId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .build());
      account.add(
          EmulatedAsset.builder()
              .publicId(publicId)
              .format("jpg")
              .type("authenticated")
              .generatedContent(publicId.hashCode(), 777)
              .build());
    }
    emulator = CloudinaryEmulator.start(account);
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
    Configuration config = Configuration.from(emulator.cloudinaryUrl());
    config.secure = false;
    config.cname = emulator.baseUri().getAuthority();
    urls = new Cloudinary(config);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void secureUrlsFromTheListingRoundTripAwkwardPublicIds() throws Exception {
    ApiResponse page =
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap("resource_type", "image", "type", "upload", "max_results", 500));
    int checked = 0;
    for (Map<?, ?> item : AdminListingTest.resources(page)) {
      EmulatedAsset asset =
          emulator.account().byAssetId((String) item.get("asset_id")).orElseThrow();
      HttpResponse<byte[]> response = get((String) item.get("secure_url"));
      assertEquals(200, response.statusCode(), asset::toString);
      assertArrayEquals(asset.content(), response.body(), asset::toString);
      assertEquals("\"" + asset.md5() + "\"", response.headers().firstValue("ETag").orElseThrow());
      checked++;
    }
    assertTrue(checked >= AWKWARD_IDS.size());
  }

  @Test
  void sdkBuiltUrlsReachUnicodeSpaceAndPlusPublicIds() throws Exception {
    for (String publicId : List.of("folder/my file é+x", "Ünïcödé/東京 タワー/🎉", "a+b=c")) {
      String url = urls.url().resourceType("image").format("png").generate(publicId);
      HttpResponse<byte[]> response = get(url);
      assertEquals(200, response.statusCode(), url);
      assertEquals(publicId, new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void authenticatedAndPrivateOriginalsNeedAValidSignature() throws Exception {
    for (String publicId : List.of("folder/my file é+x", "Ünïcödé/東京 タワー/🎉", "a+b=c")) {
      EmulatedAsset asset =
          emulator.account().byPublicId("image", "authenticated", publicId).orElseThrow();
      String signed =
          urls.url()
              .type("authenticated")
              .signed(true)
              .resourceType("image")
              .format("jpg")
              .generate(publicId);
      assertTrue(signed.contains("/s--"), signed);
      HttpResponse<byte[]> ok = get(signed);
      assertEquals(200, ok.statusCode(), signed);
      assertEquals(asset.md5(), DownloadTest.md5(ok.body()));

      String unsigned =
          urls.url().type("authenticated").resourceType("image").format("jpg").generate(publicId);
      assertEquals(401, get(unsigned).statusCode(), unsigned);
      String tampered =
          signed.replaceFirst("/s--(.)", "/s--" + (signed.contains("/s--A") ? "B" : "A"));
      assertEquals(401, get(tampered).statusCode(), tampered);
    }
    EmulatedAsset privateAsset =
        emulator
            .account()
            .byPublicId("video", "private", "videos/internal/all-hands")
            .orElseThrow();
    String signed =
        urls.url()
            .type("private")
            .signed(true)
            .resourceType("video")
            .format("mp4")
            .generate(privateAsset.publicId());
    assertEquals(200, get(signed).statusCode());
    assertEquals(401, get(signed.replaceFirst("/s--[^/]+--", "")).statusCode());
  }

  @Test
  void versionIsIgnoredAndUnknownOrRemoteAssetsAreNotFound() throws Exception {
    String base = emulator.baseUri() + "/demo-cloud/image/upload/";
    assertEquals(200, get(base + "v1/sample.jpg").statusCode());
    assertEquals(200, get(base + "sample.jpg").statusCode());
    assertEquals(404, get(base + "v1/nothing-here.jpg").statusCode());
    assertEquals(404, get(base + "v1/sample.png").statusCode());
    assertEquals(
        404, get(emulator.baseUri() + "/demo-cloud/image/facebook/65646572251.jpg").statusCode());
    assertEquals(
        404, get(emulator.baseUri() + "/other-cloud/image/upload/v1/sample.jpg").statusCode());
    HttpResponse<byte[]> raw =
        get(emulator.baseUri() + "/demo-cloud/raw/upload/v3/docs/manual.txt");
    assertEquals(200, raw.statusCode());
    assertEquals("text/plain", raw.headers().firstValue("Content-Type").orElseThrow());
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
