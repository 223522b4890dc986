package io.github.cloudinarybackup.cloudinary;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.api.exceptions.NotFound;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.ConfigurationException;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FaultKind;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link CloudinaryAdmin} sorts what the SDK throws, against the emulator over HTTP: what a
 * retry may cure (unavailable), what says to wait (rate limited), and what neither changes.
 */
class CloudinaryAdminTest {

  private CloudinaryEmulator emulator;
  private CloudinaryAdmin admin;

  @BeforeEach
  void start() {
    emulator = CloudinaryEmulator.start(EmulatorAccount.demo());
    admin = new CloudinaryAdmin(CloudinaryCredentials.fromUrl(emulator.cloudinaryUrl()));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private Exception listingFailure() {
    return assertThrows(Exception.class, () -> admin.listResources("image", null, null, null, 10));
  }

  @Test
  void serverErrorsAndPagesThatAreNoJsonAreUnavailable() {
    for (FaultKind fault :
        new FaultKind[] {FaultKind.STATUS_500, FaultKind.STATUS_502, FaultKind.HTML_ERROR_PAGE}) {
      emulator.faults().clear();
      emulator.faults().failNext(Kind.ADMIN, 3, fault); // the SDK's client may retry once itself
      Exception e = listingFailure();
      assertTrue(e instanceof CloudinaryUnavailableException, fault + ": " + e);
    }
  }

  @Test
  void aRefusedCallSaysToWaitWhether420Or429() {
    for (int status : new int[] {420, 429}) {
      // a fixed clock: no window ends between the call that spends the budget and the refused one
      emulator
          .rateLimiter()
          .clock(Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC))
          .limit(1)
          .status(status);
      try {
        admin.listResources("image", null, null, null, 10);
      } catch (Exception first) {
        // the budget of one may already be spent by an earlier loop
      }
      Exception e = listingFailure();
      assertTrue(e instanceof CloudinaryRateLimitException, status + ": " + e);
      assertTrue(e.getMessage().contains("Rate Limit Exceeded"), e.getMessage());
    }
  }

  @Test
  void aMissingResourcePassesThroughAndWrongCredentialsAreAConfigurationError() {
    emulator.faults().failNext(Kind.ADMIN, 1, FaultKind.STATUS_404);
    assertTrue(listingFailure() instanceof NotFound);
    CloudinaryAdmin wrong =
        new CloudinaryAdmin(
            CloudinaryCredentials.fromUrl(
                emulator.cloudinaryUrl().replaceFirst(":[^:@/]+@", ":wrongSecret@")));
    ConfigurationException e =
        assertThrows(ConfigurationException.class, wrong::checkCredentialsAndFolderMode);
    assertTrue(e.getMessage().startsWith("authentication failed for cloud"), e.getMessage());
  }
}
