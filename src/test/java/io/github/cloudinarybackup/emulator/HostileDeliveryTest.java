package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile {@link FaultKind}s over real HTTP, and per-asset faults. Nothing here asserts how
 * long anything takes: client timeouts only show that nothing arrived, and a paced body is checked
 * by what arrives (a part, in pieces, the connection still open), never by when.
 */
// A hang guard for the waits on the emulator's state below, not a speed check: every test ends in
// seconds.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileDeliveryTest {

  private static final String BIG = "hostile/big";
  private static final int BIG_SIZE = 64 * 1024;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private CloudinaryEmulator emulator;
  private Cloudinary cloudinary;
  private EmulatedAsset big;
  private EmulatedAsset sample;

  @BeforeEach
  void start() {
    EmulatorAccount account = EmulatorAccount.demo();
    account.add(
        EmulatedAsset.builder().publicId(BIG).format("jpg").generatedContent(77, BIG_SIZE).build());
    // A fresh emulator each time, so that hanging connections of one test cannot show in another's
    // counts.
    emulator = CloudinaryEmulator.start(account);
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
    big = account.byPublicId("image", "upload", BIG).orElseThrow();
    sample = account.byPublicId("image", "upload", "sample").orElseThrow();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void hangAnswersNothingHoldsNoRequestThreadAndEndsWhenTheEmulatorCloses() throws Exception {
    // More hanging requests than the emulator has request threads (64).
    int hanging = 70;
    emulator.faults().failNext(Kind.DELIVERY, hanging, FaultKind.HANG);
    List<RawHttp> connections = new ArrayList<>();
    for (int i = 0; i < hanging; i++) {
      connections.add(RawHttp.get(emulator.baseUri(), "/demo-cloud/image/upload/v1/sample.jpg"));
    }
    // Recorded as they started, with status 0, and all hanging at once.
    List<RecordedRequest> log = awaitRequests(emulator, r -> r.fault() == FaultKind.HANG, hanging);
    assertEquals(hanging, log.size());
    assertTrue(
        log.stream().allMatch(r -> r.status() == 0 && r.kind() == Kind.DELIVERY), log::toString);
    assertEquals(hanging, emulator.requestsInProgress());
    // No status line comes: the read gives up on its own timeout.
    assertThrows(SocketTimeoutException.class, () -> connections.get(0).timeout(200).readHead());

    // Every request thread is still free for other requests.
    assertEquals(200, get(deliveryUrl(sample)).statusCode());
    assertEquals("ok", cloudinary.api().ping(ObjectUtils.emptyMap()).get("status"));

    // A client with a request timeout gets its timeout, on the download endpoint and on the Admin
    // API too.
    emulator
        .faults()
        .failNext(Kind.DOWNLOAD, 1, FaultKind.HANG)
        .failNext(Kind.ADMIN, 1, FaultKind.HANG);
    assertThrows(
        HttpTimeoutException.class,
        () ->
            HTTP.send(
                HttpRequest.newBuilder(URI.create(download(sample)))
                    .timeout(Duration.ofMillis(300))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    assertThrows(
        HttpTimeoutException.class,
        () ->
            HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.baseUri() + "/v1_1/demo-cloud/ping"))
                    .timeout(Duration.ofMillis(300))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    // The emulator cannot see those clients give up: their requests count until it closes.
    awaitInProgress(emulator, hanging + 2);

    emulator.close();
    for (RawHttp connection : connections) {
      assertClosedWithoutMore(connection);
    }
    awaitInProgress(emulator, 0);
  }

  @Test
  void trickleDeclaresTheFullLengthAndNeverRunsAheadOfItsPace() throws Exception {
    int pace = 40;
    emulator.faults().trickleBytesPerSecond(pace).failNext(Kind.DELIVERY, 1, FaultKind.TRICKLE);
    try (RawHttp http = RawHttp.get(emulator.baseUri(), path(deliveryUrl(big))).readHead()) {
      assertEquals(200, http.status());
      assertEquals(Integer.toString(BIG_SIZE), http.header("Content-Length"));
      InputStream body = http.body();
      byte[] received = new byte[BIG_SIZE];
      int n = 0;
      int pieces = 0;
      // About a second's worth: far from the whole body, which would take half an hour at this
      // pace.
      while (n < pace) {
        int read = body.read(received, n, received.length - n);
        assertTrue(read > 0, "the connection stays open while trickling");
        n += read;
        pieces++;
      }
      assertTrue(pieces > 1, "it comes in pieces, not at once: " + pieces);
      assertTrue(n < BIG_SIZE);
      assertArrayEquals(Arrays.copyOf(big.content(), n), Arrays.copyOf(received, n));
      // Still open and still sending.
      assertTrue(body.read() >= 0);
      assertEquals(1, emulator.requestsInProgress());
    }
    // The writer gives up once its client has gone.
    awaitInProgress(emulator, 0);
    RecordedRequest logged = emulator.requests().get(0);
    assertEquals(200, logged.status());
    assertEquals(FaultKind.TRICKLE, logged.fault());
  }

  @Test
  void trickleDefaultsToOneBytePerSecondAndFinishesTheBody() throws Exception {
    assertEquals(1, emulator.faults().trickleBytesPerSecond());
    emulator.faults().failNext(Kind.DELIVERY, 1, FaultKind.TRICKLE);
    try (RawHttp http = RawHttp.get(emulator.baseUri(), path(deliveryUrl(sample))).readHead()) {
      assertEquals(Long.toString(sample.bytes()), http.header("Content-Length"));
      assertArrayEquals(
          Arrays.copyOf(sample.content(), 2),
          http.readBody(2),
          "the first bytes come, and are the asset's");
      assertEquals(1, emulator.requestsInProgress(), "the rest is still on its way");
    }

    // At a faster pace the whole body arrives, intact, in many flushed pieces.
    emulator.faults().trickleBytesPerSecond(2000).failNext(Kind.DOWNLOAD, 1, FaultKind.TRICKLE);
    HttpResponse<byte[]> response = get(download(sample));
    assertEquals(200, response.statusCode());
    assertArrayEquals(sample.content(), response.body());
    awaitInProgress(emulator, 0);
  }

  @Test
  void shortThenHangSendsHalfAndThenNothingWithoutClosing() throws Exception {
    emulator.faults().failNext(Kind.DELIVERY, 1, FaultKind.SHORT_THEN_HANG);
    try (RawHttp http = RawHttp.get(emulator.baseUri(), path(deliveryUrl(big))).readHead()) {
      assertEquals(200, http.status());
      assertEquals(Integer.toString(BIG_SIZE), http.header("Content-Length"));
      assertArrayEquals(Arrays.copyOf(big.content(), BIG_SIZE / 2), http.readBody(BIG_SIZE / 2));
      // Neither more data nor the end of the connection: only the client's timeout ends the wait.
      assertThrows(SocketTimeoutException.class, () -> http.timeout(200).body().read());
      assertEquals(1, emulator.requestsInProgress());
      RecordedRequest logged = emulator.requests().get(0);
      assertEquals(200, logged.status());
      assertEquals(FaultKind.SHORT_THEN_HANG, logged.fault());

      emulator.close();
      assertClosedWithoutMore(http);
      awaitInProgress(emulator, 0);
    }
  }

  @Test
  void endlessBodyIsChunkedAndGoesOnFarPastTheAsset() throws Exception {
    emulator.faults().failNext(Kind.DELIVERY, 2, FaultKind.ENDLESS_BODY);
    try (RawHttp http = RawHttp.get(emulator.baseUri(), path(deliveryUrl(sample))).readHead()) {
      assertEquals(200, http.status());
      assertEquals("chunked", http.header("Transfer-Encoding"));
      assertNull(http.header("Content-Length"));
    }

    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(deliveryUrl(sample))).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Length").isEmpty());
    int far = 2 * 1024 * 1024;
    try (InputStream body = response.body()) {
      assertArrayEquals(
          sample.content(), body.readNBytes((int) sample.bytes()), "the real bytes come first");
      long read = sample.bytes();
      byte[] buffer = new byte[64 * 1024];
      while (read < far) {
        int n = body.read(buffer);
        assertTrue(n > 0, "the body does not end");
        read += n;
      }
      // Larger than any asset of the account.
      assertTrue(
          read
              > 10L
                  * emulator.account().assets().stream()
                      .mapToLong(EmulatedAsset::bytes)
                      .max()
                      .orElseThrow());
    }
    // Closing the client's stream closes the connection; the writer stops at its next write.
    awaitInProgress(emulator, 0);
    assertTrue(
        emulator.requests().stream()
            .allMatch(r -> r.status() == 200 && r.fault() == FaultKind.ENDLESS_BODY));
  }

  @Test
  void endlessBodyCanBePaced() throws Exception {
    int pace = 20_000;
    emulator
        .faults()
        .endlessBodyBytesPerSecond(pace)
        .failNext(Kind.DOWNLOAD, 1, FaultKind.ENDLESS_BODY);
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(download(sample))).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[8192];
      for (long read = 0; read < pace; ) {
        int n = body.read(buffer);
        assertTrue(n > 0, "paced, it still does not end");
        read += n;
      }
    }
    awaitInProgress(emulator, 0);
  }

  @Test
  void longerBodyIsConsistentHttpButLongerThanTheAsset() throws Exception {
    emulator
        .faults()
        .failNext(Kind.DELIVERY, 1, FaultKind.LONGER_BODY)
        .failNext(Kind.DOWNLOAD, 1, FaultKind.LONGER_BODY);
    for (String url : List.of(deliveryUrl(sample), download(sample))) {
      HttpResponse<byte[]> response = get(url);
      assertEquals(200, response.statusCode());
      int longer = (int) sample.bytes() + EmulatorFaults.LONGER_BODY_EXTRA_BYTES;
      assertEquals(longer, response.headers().firstValueAsLong("Content-Length").orElseThrow());
      assertEquals(longer, response.body().length);
      assertArrayEquals(sample.content(), Arrays.copyOf(response.body(), (int) sample.bytes()));
      // The ETag still names the asset, which the body no longer matches.
      assertEquals("\"" + sample.md5() + "\"", response.headers().firstValue("ETag").orElseThrow());
      assertFalse(sample.md5().equals(DownloadTest.md5(response.body())));
    }
    assertEquals(
        List.of(FaultKind.LONGER_BODY, FaultKind.LONGER_BODY),
        emulator.requests().stream().map(RecordedRequest::fault).toList());
    assertEquals(200, get(deliveryUrl(sample)).statusCode());
    assertEquals(sample.bytes(), get(deliveryUrl(sample)).body().length);
  }

  @Test
  void bodyFaultsLeaveHeadRequestsAlone() throws Exception {
    emulator
        .faults()
        .failNext(Kind.DELIVERY, 1, FaultKind.TRICKLE)
        .failNext(Kind.DELIVERY, 1, FaultKind.ENDLESS_BODY);
    for (int i = 0; i < 2; i++) {
      HttpResponse<Void> head =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(deliveryUrl(sample)))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertEquals(200, head.statusCode());
    }
    awaitInProgress(emulator, 0);
  }

  @Test
  void oneAssetAlwaysFailsWhileTheOthersWork() throws Exception {
    String failing = "products/red_sneaker";
    EmulatedAsset asset = emulator.account().byPublicId("image", "upload", failing).orElseThrow();
    emulator.faults().alwaysFail(failing, FaultKind.STATUS_503);
    List<String> urls =
        List.of(
            deliveryUrl(asset),
            emulator.baseUri() + "/demo-cloud/image/upload/" + failing,
            emulator.baseUri() + "/demo-cloud/image/upload/v7/" + failing + ".jpg",
            download(asset));
    for (int round = 0; round < 3; round++) {
      for (String url : urls) {
        assertEquals(503, get(url).statusCode(), url);
      }
      assertEquals(200, get(deliveryUrl(sample)).statusCode());
      assertEquals(200, get(download(sample)).statusCode());
    }
    List<RecordedRequest> failed =
        emulator.requests().stream().filter(r -> r.fault() != null).toList();
    assertEquals(3 * urls.size(), failed.size());
    assertTrue(
        failed.stream().allMatch(r -> r.status() == 503 && r.fault() == FaultKind.STATUS_503));

    // It takes precedence over the schedule without consuming it: the next other request gets that.
    emulator.faults().failNext(Kind.DELIVERY, 1, FaultKind.STATUS_500);
    assertEquals(503, get(deliveryUrl(asset)).statusCode());
    assertEquals(500, get(deliveryUrl(sample)).statusCode());
    assertEquals(Map.of(failing, FaultKind.STATUS_503), emulator.faults().alwaysFailing());

    emulator.faults().stopFailing(failing);
    assertEquals(200, get(deliveryUrl(asset)).statusCode());
    assertThrows(
        IllegalArgumentException.class,
        () -> emulator.faults().alwaysFail(failing, FaultKind.MALFORMED_JSON));
  }

  @Test
  void perAssetFaultsMatchRawPublicIdsAndSignedAssetsAndCanHang() throws Exception {
    EmulatedAsset raw =
        emulator.account().byPublicId("raw", "upload", "docs/manual.txt").orElseThrow();
    EmulatedAsset invoice =
        emulator
            .account()
            .byPublicId("image", "authenticated", "invoices/2024/invoice_0001")
            .orElseThrow();
    EmulatedAsset otherInvoice =
        emulator
            .account()
            .byPublicId("image", "authenticated", "invoices/2024/invoice_0002")
            .orElseThrow();
    emulator
        .faults()
        .alwaysFail(raw.publicId(), FaultKind.STATUS_404)
        .alwaysFail(invoice.publicId(), FaultKind.HANG);

    assertEquals(
        404, get(emulator.baseUri() + "/demo-cloud/raw/upload/v3/docs/manual.txt").statusCode());
    assertEquals(404, get(download(raw)).statusCode());
    assertEquals(
        200,
        get(emulator.baseUri() + "/demo-cloud/raw/upload/v3/docs/data/prices.csv").statusCode());

    // The signed download of the one invoice never answers, the other's does; even an unsigned
    // request for
    // the hanging one hangs, since the emulator does not check the signature first.
    for (String url :
        List.of(
            download(invoice),
            emulator.baseUri()
                + "/demo-cloud/image/authenticated/"
                + invoice.publicId()
                + ".jpg")) {
      assertThrows(
          HttpTimeoutException.class,
          () ->
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(300)).build(),
                  HttpResponse.BodyHandlers.ofByteArray()));
    }
    HttpResponse<byte[]> other = get(download(otherInvoice));
    assertEquals(200, other.statusCode());
    assertArrayEquals(otherInvoice.content(), other.body());
    // The client gave up on its own clock, so the emulator may record the hangs only now.
    awaitRequests(emulator, r -> r.fault() == FaultKind.HANG, 2);
  }

  @Test
  void clearRestoresTheDefaultPacesAndForgetsPerAssetFaults() {
    emulator
        .faults()
        .trickleBytesPerSecond(9)
        .endlessBodyBytesPerSecond(9)
        .alwaysFail("sample", FaultKind.HANG);
    emulator.faults().clear();
    assertEquals(1, emulator.faults().trickleBytesPerSecond());
    assertEquals(0, emulator.faults().endlessBodyBytesPerSecond());
    assertTrue(emulator.faults().alwaysFailing().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> emulator.faults().trickleBytesPerSecond(0));
    assertThrows(
        IllegalArgumentException.class, () -> emulator.faults().endlessBodyBytesPerSecond(-1));
  }

  /**
   * Waits, without a deadline of its own, until this many recorded requests match; returns them.
   */
  static List<RecordedRequest> awaitRequests(
      CloudinaryEmulator emulator, Predicate<RecordedRequest> filter, int expected)
      throws InterruptedException {
    for (; ; ) {
      List<RecordedRequest> matching = emulator.requests().stream().filter(filter).toList();
      if (matching.size() >= expected) {
        return matching;
      }
      Thread.sleep(10);
    }
  }

  /**
   * Waits, without a deadline of its own, until the emulator has exactly this many requests in
   * progress.
   */
  static void awaitInProgress(CloudinaryEmulator emulator, int expected)
      throws InterruptedException {
    while (emulator.requestsInProgress() != expected) {
      Thread.sleep(10);
    }
  }

  /** The emulator closed the connection: the end of the stream, or a reset, and no further byte. */
  private static void assertClosedWithoutMore(RawHttp http) throws IOException {
    http.timeout(0);
    try {
      assertEquals(-1, http.body().read());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open", e);
    } catch (IOException e) {
      // Reset by the peer: closed as well.
    }
  }

  private String deliveryUrl(EmulatedAsset asset) {
    return emulator.baseUri()
        + "/demo-cloud/"
        + asset.resourceType()
        + "/"
        + asset.type()
        + "/v1/"
        + asset.publicId()
        + (asset.format() == null ? "" : "." + asset.format());
  }

  private String download(EmulatedAsset asset) throws Exception {
    return cloudinary.privateDownload(
        asset.publicId(),
        asset.format(),
        ObjectUtils.asMap("type", asset.type(), "resource_type", asset.resourceType()));
  }

  private static String path(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
