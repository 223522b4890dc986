package io.github.cloudinarybackup.emulator;

import static io.github.cloudinarybackup.emulator.HostileDeliveryTest.awaitInProgress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.exceptions.GeneralError;
import com.cloudinary.utils.ObjectUtils;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Latency and injected failures, and how they show up in the request log. */
class FaultInjectionTest {

  private static CloudinaryEmulator emulator;
  private static Cloudinary cloudinary;
  private static String sampleUrl;

  @BeforeAll
  static void start() {
    emulator = CloudinaryEmulator.start(EmulatorAccount.demo());
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
    sampleUrl = emulator.baseUri() + "/demo-cloud/image/upload/v1/sample.jpg";
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void reset() {
    emulator.faults().clear();
    emulator.clearRequests();
  }

  @Test
  void truncatedBodyDeclaresTheFullLengthButDeliversAboutHalf() throws Exception {
    long size = emulator.account().byPublicId("image", "upload", "sample").orElseThrow().bytes();
    emulator.faults().failNext(Kind.DELIVERY, 1, FaultKind.TRUNCATED_BODY);
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sampleUrl)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals(size, response.headers().firstValueAsLong("Content-Length").orElseThrow());
    int received = 0;
    boolean failed = false;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[4096];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        received += n;
      }
    } catch (IOException e) {
      failed = true;
    }
    assertTrue(failed || received < size, "a truncated body must be detectable");
    assertEquals(size / 2, received);
    assertEquals(200, lastRequest().status());
    assertEquals(FaultKind.TRUNCATED_BODY, lastRequest().fault());
  }

  @Test
  void connectionResetIsAnIoExceptionAndIsLoggedWithStatusZero() throws Exception {
    // Two, because the JDK client may silently retry an idempotent GET once when a connection
    // closes unanswered.
    emulator.faults().failNext(Kind.DELIVERY, 2, FaultKind.CONNECTION_RESET);
    assertThrows(
        IOException.class,
        () ->
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(sampleUrl)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
    RecordedRequest logged = emulator.requests().get(0);
    assertEquals(0, logged.status());
    assertEquals(Kind.DELIVERY, logged.kind());
    assertEquals(FaultKind.CONNECTION_RESET, logged.fault());
    emulator.faults().clear();
    assertEquals(200, status(sampleUrl));
  }

  @Test
  void adminFaultsReachTheSdkAsTheErrorsItKnows() {
    emulator.faults().failNext(Kind.ADMIN, 1, FaultKind.STATUS_502);
    GeneralError badGateway =
        assertThrows(GeneralError.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()));
    assertTrue(badGateway.getMessage().startsWith("Server returned unexpected status code - 502"));

    emulator.faults().failNext(Kind.ADMIN, 1, FaultKind.STATUS_500);
    assertEquals(
        "Internal Server Error (injected)",
        assertThrows(GeneralError.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()))
            .getMessage());

    for (FaultKind fault : List.of(FaultKind.MALFORMED_JSON, FaultKind.HTML_ERROR_PAGE)) {
      emulator.faults().failNext(Kind.ADMIN, 1, fault);
      RuntimeException e =
          assertThrows(RuntimeException.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()));
      assertTrue(e.getMessage().startsWith("Invalid JSON response from server"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> emulator.faults().failNext(Kind.DOWNLOAD, 1, FaultKind.MALFORMED_JSON));
  }

  @Test
  void randomFaultsAreDeterministicForASeed() throws Exception {
    List<Integer> first = statusesWithFaults(42);
    List<Integer> second = statusesWithFaults(42);
    assertEquals(first, second);
    assertTrue(
        first.contains(200) && (first.contains(500) || first.contains(503)), first::toString);
    assertFalse(first.equals(statusesWithFaults(43)) && first.equals(statusesWithFaults(44)));
  }

  @Test
  void deliveryLatencyHoldsTheAnswerBackUntilItIsCleared() throws Exception {
    emulator.faults().deliveryLatency(Duration.ofDays(1));
    HttpClient http = HttpClient.newHttpClient();
    // Nothing arrives while the latency is in force: the client's own timeout ends the wait.
    HttpRequest held =
        HttpRequest.newBuilder(URI.create(sampleUrl)).timeout(Duration.ofMillis(300)).build();
    assertThrows(
        HttpTimeoutException.class, () -> http.send(held, HttpResponse.BodyHandlers.ofByteArray()));
    emulator.faults().deliveryLatency(Duration.ZERO);
    HttpResponse<byte[]> answered =
        http.send(
            HttpRequest.newBuilder(URI.create(sampleUrl)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answered.statusCode());
  }

  @Test
  // A hang guard, should the emulator serve requests one at a time; not a speed check.
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void deliveriesSleepThroughLatencyConcurrentlyAndAdminCallsAreNotDelayed() throws Exception {
    try (CloudinaryEmulator slow = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      // Longer than any test: the deliveries only end when the emulator closes.
      slow.faults().deliveryLatency(Duration.ofDays(1));
      String url = slow.baseUri() + "/demo-cloud/image/upload/v1/sample.jpg";
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<byte[]>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        inFlight.add(
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
      }
      // All 32 are being served at once: a server that slept through latency one request at a time
      // would
      // never get there.
      awaitInProgress(slow, 32);
      // The Admin API has no latency, so it answers while every delivery still sleeps.
      assertEquals(
          "ok",
          new Cloudinary(slow.cloudinaryUrl()).api().ping(ObjectUtils.emptyMap()).get("status"));
      assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone));

      slow.close();
      // Closing interrupts the sleeping requests and closes their connections: none is ever
      // answered.
      for (CompletableFuture<HttpResponse<byte[]>> response : inFlight) {
        ExecutionException e = assertThrows(ExecutionException.class, response::get);
        assertTrue(e.getCause() instanceof IOException, e.getCause()::toString);
      }
      assertEquals(
          List.of(Kind.ADMIN), slow.requests().stream().map(RecordedRequest::kind).toList());
    }
  }

  @Test
  void requestLogClassifiesRequestsAndDropsQueryStrings() throws Exception {
    cloudinary.api().ping(ObjectUtils.emptyMap());
    String download = cloudinary.privateDownload("sample", "jpg", ObjectUtils.emptyMap());
    status(download);
    status(sampleUrl);
    status(emulator.baseUri() + "/favicon.ico");
    List<RecordedRequest> log = emulator.requests();
    assertEquals(
        List.of(Kind.ADMIN, Kind.DOWNLOAD, Kind.DELIVERY, Kind.OTHER),
        log.stream().map(RecordedRequest::kind).toList());
    assertEquals("/v1_1/demo-cloud/image/download", log.get(1).path());
    assertEquals(List.of(200, 200, 200, 404), log.stream().map(RecordedRequest::status).toList());
    assertTrue(log.stream().allMatch(r -> r.fault() == null));
  }

  private static List<Integer> statusesWithFaults(long seed) throws Exception {
    System.out.println("fault seed " + seed);
    emulator.faults().seed(seed).deliveryFaultRate(0.5, FaultKind.STATUS_500, FaultKind.STATUS_503);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      statuses.add(status(sampleUrl));
    }
    return statuses;
  }

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static RecordedRequest lastRequest() {
    List<RecordedRequest> log = emulator.requests();
    return log.get(log.size() - 1);
  }
}
