package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.AuthorizationRequired;
import com.cloudinary.utils.ObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admin API authentication failures, as the SDK reports them. */
class AuthenticationTest {

  private static CloudinaryEmulator emulator;
  private static EmulatorAccount account;
  private static String prefix;

  @BeforeAll
  static void start() {
    account = EmulatorAccount.demo();
    emulator = CloudinaryEmulator.start(account);
    prefix = "?upload_prefix=" + emulator.baseUri();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void resetFaults() {
    emulator.faults().clear();
  }

  @Test
  void unknownCloudName() {
    Cloudinary client =
        new Cloudinary(
            "cloudinary://"
                + account.apiKey()
                + ":"
                + account.apiSecret()
                + "@other-cloud"
                + prefix);
    assertEquals("Invalid cloud_name other-cloud", pingFailure(client).getMessage());
  }

  @Test
  void unknownApiKey() {
    Cloudinary client =
        new Cloudinary(
            "cloudinary://111122223333444:"
                + account.apiSecret()
                + "@"
                + account.cloudName()
                + prefix);
    assertEquals("Unknown API key 111122223333444", pingFailure(client).getMessage());
  }

  @Test
  void wrongSecret() {
    Cloudinary client =
        new Cloudinary(
            "cloudinary://" + account.apiKey() + ":wrong@" + account.cloudName() + prefix);
    assertEquals("api_secret mismatch", pingFailure(client).getMessage());
  }

  @Test
  void missingOrMalformedAuthorization() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI ping = URI.create(emulator.baseUri() + "/v1_1/" + account.cloudName() + "/ping");
    for (String header :
        new String[] {null, "Bearer abc", "Basic !!!not-base64", basic(":secret")}) {
      HttpRequest.Builder request = HttpRequest.newBuilder(ping);
      if (header != null) {
        request.header("Authorization", header);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, response.statusCode());
      assertEquals("{\"error\":{\"message\":\"Must supply api_key\"}}", response.body());
    }
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(ping)
                .header("Authorization", basic(account.apiKey() + ":" + account.apiSecret()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
  }

  @Test
  void htmlUnauthorizedModeBreaksTheSdkLikeTheRealThing() {
    emulator.faults().htmlUnauthorized(true);
    Cloudinary client =
        new Cloudinary(
            "cloudinary://" + account.apiKey() + ":wrong@" + account.cloudName() + prefix);
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> client.api().ping(ObjectUtils.emptyMap()));
    assertTrue(e.getMessage().startsWith("Invalid JSON response from server"), e.getMessage());
  }

  @Test
  void authenticationFailuresDoNotConsumeTheBudget() {
    int before = emulator.rateLimiter().remaining();
    Cloudinary client =
        new Cloudinary(
            "cloudinary://" + account.apiKey() + ":wrong@" + account.cloudName() + prefix);
    pingFailure(client);
    assertEquals(before, emulator.rateLimiter().remaining());
  }

  private static AuthorizationRequired pingFailure(Cloudinary client) {
    return assertThrows(
        AuthorizationRequired.class, () -> client.api().ping(ObjectUtils.emptyMap()));
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes());
  }
}
