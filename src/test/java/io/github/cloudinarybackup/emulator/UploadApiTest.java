package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Upload API as the real SDK (cloudinary-http5 2.4.0) meets it over HTTP: signatures
 * checked on the strings sent, overwrite semantics, the fields a restore sends read back as the
 * Admin API lists them, chunked uploads, and Cloudinary's refusals.
 */
class UploadApiTest {

  private EmulatorAccount account;
  private CloudinaryEmulator emulator;
  private Cloudinary sdk;

  @BeforeEach
  void start() {
    account =
        new EmulatorAccount("up-cloud", "123456789012345", "uploadSecret", FolderMode.DYNAMIC);
    account
        .configuration()
        .metadataField(
            Map.of(
                "type",
                "set",
                "external_id",
                "colors",
                "label",
                "Colors",
                "datasource",
                Map.of(
                    "values",
                    List.of(
                        Map.of("external_id", "red", "value", "Red"),
                        Map.of("external_id", "gr=een", "value", "Green")))))
        .metadataField(Map.of("type", "integer", "external_id", "count", "label", "Count"));
    emulator = CloudinaryEmulator.start(account);
    sdk = new Cloudinary(emulator.cloudinaryUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static Map<String, Object> options(Object... pairs) {
    return new HashMap<>(ObjectUtils.asMap(pairs)); // uploadLarge writes into it
  }

  @Test
  void aSignedUploadStoresTheBytesAndEveryFieldARestoreSends() throws Exception {
    byte[] bytes = "hello".getBytes();
    Map<?, ?> answer =
        sdk.uploader()
            .upload(
                bytes,
                options(
                    "public_id",
                    "a/b c&d",
                    "type",
                    "private",
                    "overwrite",
                    false,
                    "filename",
                    "b c&d.jpg",
                    "tags",
                    List.of("x", "y z"),
                    "context",
                    Map.of("alt", "p=q|r"),
                    "metadata",
                    Map.of("colors", List.of("red", "gr=een"), "count", 3),
                    "asset_folder",
                    "Folder One",
                    "display_name",
                    "Shown | name"));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)),
        answer.get("etag"));
    assertEquals("jpg", answer.get("format"));
    assertNull(answer.get("existing"));
    EmulatedAsset stored = account.byPublicId("image", "private", "a/b c&d").orElseThrow();
    assertEquals(List.of("x", "y z"), stored.tags());
    assertEquals(Map.of("alt", "p=q|r"), stored.context());
    assertEquals(Map.of("colors", List.of("red", "gr=een"), "count", 3L), stored.metadata());
    assertEquals("Folder One", stored.assetFolder());
    assertEquals("Shown | name", stored.displayName());
    assertEquals(UploadApi.Outcome.CREATED, emulator.uploads().uploads().get(0).outcome());
  }

  @Test
  void overwriteFalseFindsTheAssetAndWritesNothingWhileTheDefaultReplacesIt() throws Exception {
    sdk.uploader().upload("one".getBytes(), options("public_id", "p"));
    Map<?, ?> kept =
        sdk.uploader().upload("two".getBytes(), options("public_id", "p", "overwrite", false));
    assertEquals(true, kept.get("existing"));
    assertEquals(3, account.byPublicId("image", "upload", "p").orElseThrow().bytes());
    assertEquals(
        "one", new String(account.byPublicId("image", "upload", "p").orElseThrow().content()));
    String assetId = account.byPublicId("image", "upload", "p").orElseThrow().assetId();

    Map<?, ?> replaced = sdk.uploader().upload("three".getBytes(), options("public_id", "p"));
    assertEquals(true, replaced.get("overwritten"));
    EmulatedAsset now = account.byPublicId("image", "upload", "p").orElseThrow();
    assertEquals("three", new String(now.content()));
    assertEquals(assetId, now.assetId(), "an overwrite keeps the asset_id");
    assertEquals(
        2, emulator.uploads().writesOf("image", "upload", "p"), "created once, replaced once");
  }

  @Test
  void aWrongSecretIsRefusedWithTheStringToSignAndNothingIsStored() {
    Cloudinary wrong =
        new Cloudinary(emulator.cloudinaryUrl().replace(":uploadSecret@", ":otherSecret@"));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> wrong.uploader().upload("x".getBytes(), options("public_id", "p&q")));
    assertTrue(e.getMessage().startsWith("Invalid Signature "), e.getMessage());
    assertTrue(
        e.getMessage().contains("String to sign - 'overwrite=")
            || e.getMessage().contains("public_id=p%26q"),
        e.getMessage());
    assertEquals(0, account.size());
  }

  @Test
  void aStaleTimestampIsRefused() throws Exception {
    // the SDK always signs the current time: an old request is put together by hand, signed as the
    // SDK signs
    Map<String, Object> params =
        new HashMap<>(
            Map.of(
                "public_id",
                "old",
                "timestamp",
                Long.toString(System.currentTimeMillis() / 1000 - 7200)));
    String signature = sdk.apiSignRequest(params, account.apiSecret(), 2);
    String form =
        "public_id=old&timestamp="
            + params.get("timestamp")
            + "&api_key="
            + account.apiKey()
            + "&signature="
            + signature;
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        emulator.baseUri().resolve("/v1_1/up-cloud/image/upload"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("Stale request - reported time is "), response.body());
  }

  @Test
  void anUnknownMetadataFieldOrValueIsRefusedAsCloudinaryRefusesIt() {
    RuntimeException unknown =
        assertThrows(
            RuntimeException.class,
            () ->
                sdk.uploader()
                    .upload(
                        "x".getBytes(),
                        options("public_id", "m", "metadata", Map.of("nope", "1"))));
    assertEquals("Invalid value  for parameter kind", unknown.getMessage());
    RuntimeException badValue =
        assertThrows(
            RuntimeException.class,
            () ->
                sdk.uploader()
                    .upload(
                        "x".getBytes(),
                        options("public_id", "m", "metadata", Map.of("colors", List.of("blue")))));
    assertTrue(
        badValue.getMessage().contains("is not valid for field 'colors'"), badValue.getMessage());
    assertEquals(0, account.size());
  }

  @Test
  void uploadLargeSendsPartsAndTheLastOneStoresTheWholeFile() throws Exception {
    emulator.uploads().minimumChunkBytes(1000);
    byte[] bytes = new byte[10_500];
    new SplittableRandom(3).nextBytes(bytes);
    Map<?, ?> answer =
        sdk.uploader()
            .uploadLarge(bytes, options("public_id", "big", "resource_type", "raw"), 4000);
    assertFalse(answer.containsKey("done"));
    assertEquals(10_500, ((Number) answer.get("bytes")).intValue());
    assertEquals(
        List.of(UploadApi.Outcome.PART, UploadApi.Outcome.PART, UploadApi.Outcome.CREATED),
        emulator.uploads().uploads().stream().map(UploadApi.Upload::outcome).toList());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)),
        account.byPublicId("raw", "upload", "big").orElseThrow().md5());
  }

  @Test
  void aPartBelowTheMinimumIsRefused() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                sdk.uploader()
                    .uploadLarge(new byte[3000], options("public_id", "small-parts"), 1000));
    assertTrue(e.getMessage().startsWith("Chunk size below the minimum"), e.getMessage());
  }
}
