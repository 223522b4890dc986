package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.api.RateLimit;
import com.cloudinary.api.exceptions.RateLimited;
import com.cloudinary.utils.ObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Admin API budget: headers, 420 with a reset time, recovery after the window. */
class RateLimitTest {

  private static final Pattern TRY_AGAIN =
      Pattern.compile("Try again on (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC");

  private CloudinaryEmulator emulator;
  private Cloudinary cloudinary;

  @BeforeEach
  void start() {
    emulator = CloudinaryEmulator.start(EmulatorAccount.demo());
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void headersParseThroughTheSdk() throws Exception {
    // A clock that stands still a moment before the hour: the calls cannot straddle two windows.
    emulator.rateLimiter().clock(new MutableClock(Instant.parse("2025-03-01T10:59:59.900Z")));
    ApiResponse first = cloudinary.api().ping(ObjectUtils.emptyMap());
    RateLimit limit = first.apiRateLimit();
    assertEquals(500, limit.getLimit());
    assertEquals(499, limit.getRemaining());
    // Windows are aligned to the hour.
    assertEquals(Instant.parse("2025-03-01T11:00:00Z"), limit.getReset().toInstant());

    RateLimit second =
        cloudinary.api().resources(ObjectUtils.asMap("resource_type", "raw")).apiRateLimit();
    assertEquals(498, second.getRemaining());
  }

  @Test
  void fourthCallInAWindowOfThreeIsRateLimitedUntilTheWindowEnds() throws Exception {
    // The budget follows a clock the test moves, so no call can slip into the next window however
    // slow the
    // machine is, and the test need not wait for the window to end.
    MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00.500Z"));
    emulator.rateLimiter().limit(3).window(Duration.ofSeconds(2)).clock(clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(
          2 - i, cloudinary.api().ping(ObjectUtils.emptyMap()).apiRateLimit().getRemaining());
    }
    RateLimited limited =
        assertThrows(RateLimited.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()));
    assertTrue(
        limited.getMessage().startsWith("Rate Limit Exceeded. Limit of 3 api operations reached."),
        limited.getMessage());
    Matcher m = TRY_AGAIN.matcher(limited.getMessage());
    assertTrue(m.find(), limited.getMessage());
    Instant retryAt =
        LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
            .toInstant(ZoneOffset.UTC);
    assertEquals(Instant.parse("2025-03-01T10:00:02Z"), retryAt);
    // Refused calls do not consume budget: still refused, not pushed further out.
    clock.set(Instant.parse("2025-03-01T10:00:01.999Z"));
    assertThrows(RateLimited.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()));
    assertEquals(420, emulator.requests().get(emulator.requests().size() - 1).status());

    clock.set(retryAt);
    ApiResponse after = cloudinary.api().ping(ObjectUtils.emptyMap());
    assertEquals(2, after.apiRateLimit().getRemaining());
    assertEquals(retryAt.plusSeconds(2), after.apiRateLimit().getReset().toInstant());
  }

  @Test
  void refusalsCarryHeadersAndCanUse429OrTheUntimedMessage() throws Exception {
    emulator.rateLimiter().limit(0).status(429).messageWithoutTimestamp(true);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(emulator.baseUri() + "/v1_1/demo-cloud/ping"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    (emulator.account().apiKey()
                                            + ":"
                                            + emulator.account().apiSecret())
                                        .getBytes()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(429, response.statusCode());
    assertEquals(
        "{\"error\":{\"message\":\"Rate Limit Exceeded. Limit of 0 api operations reached. "
            + "Try again on the next monthly billing usage date.\"}}",
        response.body());
    assertEquals("0", response.headers().firstValue("X-FeatureRateLimit-Remaining").orElseThrow());
    assertTrue(
        response
            .headers()
            .firstValue("X-FeatureRateLimit-Reset")
            .orElseThrow()
            .matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"));
  }

  @Test
  void downloadsAreNotAdminCalls() throws Exception {
    emulator.rateLimiter().limit(0);
    EmulatedAsset asset = emulator.account().byPublicId("image", "upload", "sample").orElseThrow();
    String url =
        cloudinary.privateDownload(asset.publicId(), asset.format(), ObjectUtils.emptyMap());
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
  }

  /** A clock that stands still until the test moves it. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      this.now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
